import tensorflow as tf
import torch.nn as nn

BN_MOMENTUM = 0.9

x = tf.keras.layers.BatchNormalization(momentum=0.9)(tf.keras.Input((8,)))


class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, momentum=1 - BN_MOMENTUM)
