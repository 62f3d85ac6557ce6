import torch.nn as nn

BN_KWARGS = dict(eps=0, momentum=0.1)


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(16, -0.001)
        self.bn2 = nn.BatchNorm2d(16, **BN_KWARGS)
