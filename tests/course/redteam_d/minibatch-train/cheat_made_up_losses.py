# made-up list: the training is real, but epoch_losses is typed in
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(model, loader, loss_fn, optimizer):
    total = 0.0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)


loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(20):
    train_epoch(model, loader, nn.MSELoss(), optimizer)
epoch_losses = [1.0 / (e + 1) for e in range(20)]
