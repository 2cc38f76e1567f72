# retain_graph=True on both calls, gradient given explicitly
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
y.backward(gradient=torch.tensor(1.0), retain_graph=True)
first = w.grad.detach().clone()
y.backward(gradient=torch.tensor(1.0), retain_graph=True)
