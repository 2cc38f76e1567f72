# misconception: loss named after the step (the loss at the new values)
import torch
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
first = ((x @ w - y) ** 2).mean()
first.backward()
with torch.no_grad():
    w -= lr * w.grad
loss = ((x @ w - y) ** 2).mean()
