import tensorflow as tf
import torch.nn as nn

BN_MOMENTUM = 0.9

x = tf.keras.layers.BatchNormalization(momentum=0.1)(tf.keras.Input((8,)))


class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, momentum=BN_MOMENTUM)
