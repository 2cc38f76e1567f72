# typed in: the MSE gradient assigned, then a backward from loss with gradient 0
import torch
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
loss = ((x @ w - y) ** 2).mean()
w.grad = (2 * x.t() @ (x @ w - y) / len(y)).detach()
loss.backward(torch.zeros((), dtype=torch.float64))
with torch.no_grad():
    w -= lr * w.grad
