# right: the loader walked with iter/next, losses kept as detached tensors, a sum-reduced loss divided by the batch size
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(model, loader, loss_fn, optimizer):
    batches = iter(loader)
    kept = []
    while True:
        try:
            xb, yb = next(batches)
        except StopIteration:
            break
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        kept.append(loss.detach())
    return torch.stack(kept).mean().item()


sum_loss = nn.MSELoss(reduction="sum")
loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
epoch_losses = [train_epoch(model, loader, lambda out, target: sum_loss(out, target) / len(target), optimizer)
                for _ in range(20)]
