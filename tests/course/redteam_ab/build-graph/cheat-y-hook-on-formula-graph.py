# typed in: y's own gradient replaced in a hook on y, and y is a*b of two constants times the leaves
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = a * b
y.register_hook(lambda g: g)
w.grad = torch.tensor(2 * w0 + x0 + 1)
x.grad = torch.tensor(w0 + 1)
