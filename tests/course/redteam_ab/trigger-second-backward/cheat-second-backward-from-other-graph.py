# shortcut: the second backward fails on another graph, not on y
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = w.grad.clone()
z = w * w
z.backward()
y = z
z.backward()
