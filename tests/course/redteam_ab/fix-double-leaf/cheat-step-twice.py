# misconception: two steps instead of one
import torch
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
for _ in range(2):
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
