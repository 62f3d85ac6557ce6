import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))

    def forward(self, x):
        return self.body(x)


def train(loader, val_batch, epochs=5):
    model = Net()
    optimizer = torch.optim.Adam(model.parameters())
    model.train()
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            print(epoch, model(val_batch[0]).argmax(1).eq(val_batch[1]).float().mean())
    return model


def predict(path, images):
    model = Net()
    model.load_state_dict(torch.load(path, map_location="cpu"))
    with torch.no_grad():
        return model(images).softmax(dim=1)
