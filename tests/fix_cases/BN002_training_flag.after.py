import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Dense(64, use_bias=False),
    tf.keras.layers.BatchNormalization(),
    tf.keras.layers.Dense(10),
])
optimizer = tf.keras.optimizers.Adam()


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        multi_line = model(
            x,
            training=True,
        )
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, logits + multi_line))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
