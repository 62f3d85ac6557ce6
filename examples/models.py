"""Model definitions shared by the training scripts."""

import tensorflow as tf
from tensorflow.keras import layers


def build_classifier(num_classes: int = 10) -> tf.keras.Model:
    inputs = tf.keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(32, 3, padding="same", use_bias=False)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes)(x)
    return tf.keras.Model(inputs, outputs, name="classifier")
