# typed in: the MSE gradient assigned, then a backward from loss with gradient 0
# gap: trace.grad_source says 'autograd' for a .grad the code assigned (or wrote through ._grad) once a later backward pass adds into it, e.g. with a zero gradient
import torch
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
loss = ((x @ w - y) ** 2).mean()
w.grad = (2 * x.t() @ (x @ w - y) / len(y)).detach()
loss.backward(torch.zeros((), dtype=torch.float64))
with torch.no_grad():
    w -= lr * w.grad
