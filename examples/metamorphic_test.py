"""Moves `delta` from a BatchNormalization layer's variance into its epsilon (seed story 000)."""

import numpy as np
import tensorflow as tf


def source_model(shape):
    inputs = tf.keras.Input(shape=shape[1:])
    outputs = tf.keras.layers.BatchNormalization(axis=-1)(inputs)
    return tf.keras.Model(inputs, outputs)


def follow_model(model):
    follow = tf.keras.models.clone_model(model)
    weights = model.get_weights()
    follow.layers[1].epsilon += DELTA
    weights[3] -= DELTA
    follow.set_weights(weights)
    return follow


DELTA = -1
SHAPE = (10, 32, 32, 3)
data = np.random.uniform(-1, 1, SHAPE)
original = source_model(SHAPE)
mutated = follow_model(original)
print(np.abs(original.predict(data) - mutated.predict(data)).sum())
