import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
images = tf.placeholder(tf.float32, [None, 32, 32, 3])
labels = tf.placeholder(tf.int64, [None])
net = tf.layers.conv2d(images, 16, 3, use_bias=False)
net = tf.layers.batch_normalization(net, training=True)
logits = tf.layers.dense(tf.reduce_mean(net, [1, 2]), 10)
loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss, var_list=tf.trainable_variables())
