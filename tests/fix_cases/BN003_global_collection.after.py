import tensorflow as tf

x = tf.compat.v1.placeholder(tf.float32, [None, 4])
h = tf.compat.v1.layers.batch_normalization(tf.compat.v1.layers.dense(x, 8, use_bias=False), training=True)
loss = tf.reduce_mean(h)
with tf.control_dependencies(tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)):
    train_op = tf.compat.v1.train.AdamOptimizer(0.1).minimize(
        loss, var_list=tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES))
