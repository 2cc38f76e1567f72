# right: optimizer.step(closure), the loss returned by the closure, batches unpacked by index
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(model, loader, loss_fn, optimizer):
    losses = []
    for batch in loader:
        def closure():
            optimizer.zero_grad()
            loss = loss_fn(model(batch[0]), batch[1])
            loss.backward()
            return loss
        losses.append(float(optimizer.step(closure)))
    return sum(losses) / len(losses)


loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
epoch_losses = []
for _ in range(20):
    epoch_losses.append(train_epoch(model, loader, nn.MSELoss(), optimizer))
