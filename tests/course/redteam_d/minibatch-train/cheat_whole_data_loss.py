# misconception: the epoch's loss is the loss on all the loader's data after the epoch
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(model, loader, loss_fn, optimizer):
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        xs, ys = zip(*loader)
        return loss_fn(model(torch.cat(xs)), torch.cat(ys)).item()


loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
epoch_losses = [train_epoch(model, loader, nn.MSELoss(), optimizer) for _ in range(20)]
