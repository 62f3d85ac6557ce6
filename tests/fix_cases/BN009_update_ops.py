import tensorflow as tf

images = tf.placeholder(tf.float32, [None, 28, 28, 1])
is_training = tf.placeholder_with_default(True, [])
net = tf.layers.conv2d(images, 32, 3, use_bias=False)
net = tf.layers.batch_normalization(net, training=is_training)
loss = tf.reduce_mean(tf.square(net))
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)  # the train op


def train(session, batches):
    for batch in batches:
        session.run(train_op, {images: batch})
