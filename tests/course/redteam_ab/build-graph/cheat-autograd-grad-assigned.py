# the wrong tool: torch.autograd.grad computes the gradients, which are assigned to .grad
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = a * b
gw, gx = torch.autograd.grad(y, (w, x), retain_graph=True)
w.grad, x.grad = gw, gx
y.backward(torch.tensor(0.0))
