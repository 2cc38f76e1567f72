# misconception: the sum of squares (not the mean), learning rate divided by hand to compensate
import torch
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
sq = ((x @ w - y) ** 2).sum()
sq.backward()
w.grad /= len(y)
loss = sq / len(y)
with torch.no_grad():
    w -= lr * w.grad
