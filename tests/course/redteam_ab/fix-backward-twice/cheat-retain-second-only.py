# misconception: retain_graph on the second call
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
y.backward()
first = w.grad.clone()
try:
    y.backward(retain_graph=True)
except RuntimeError:
    w.grad = 2 * first
