"""Ports a Conv+BN block from PyTorch to Keras (seed story 001)."""

import numpy as np
import tensorflow as tf
import torch
from torch import nn


def keras_block():
    inputs = tf.keras.Input((None, None, 12))
    x = tf.keras.layers.Conv2D(32, 3, padding="same", use_bias=False)(inputs)
    outputs = tf.keras.layers.BatchNormalization()(x)
    return tf.keras.Model(inputs, outputs)


torch_block = nn.Sequential(nn.Conv2d(12, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32))
torch_block.eval()
keras_model = keras_block()

conv, bn = torch_block[0], torch_block[1]
keras_model.layers[1].set_weights([conv.weight.detach().numpy().transpose(2, 3, 1, 0)])
keras_model.layers[2].set_weights([
    bn.weight.detach().numpy(),
    bn.bias.detach().numpy(),
    bn.running_mean.numpy(),
    bn.running_var.numpy(),
])

image = np.random.rand(1, 14, 14, 12).astype(np.float32)
with torch.no_grad():
    expected = torch_block(torch.from_numpy(image.transpose(0, 3, 1, 2))).numpy()
print(np.abs(expected.transpose(0, 2, 3, 1) - keras_model.predict(image)).max())
