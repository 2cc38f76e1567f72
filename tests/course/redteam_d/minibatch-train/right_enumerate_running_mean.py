# right: enumerate with a running mean, zero_grad(set_to_none=True) after the step, F.mse_loss in the script
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, RandomSampler, TensorDataset


def train_epoch(model, loader, loss_fn, optimizer):
    model.train()
    mean = 0.0
    for i, (xb, yb) in enumerate(loader):
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        mean += (loss.item() - mean) / (i + 1)
    return mean


data = TensorDataset(X, y)
loader = DataLoader(data, batch_size=16, sampler=RandomSampler(data))
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.0)
epoch_losses = []
for epoch in range(1, 21):
    epoch_losses.append(train_epoch(model, loader, F.mse_loss, optimizer))
    if epoch % 5 == 0:
        print(f"epoch {epoch}: {epoch_losses[-1]:.4f}")
