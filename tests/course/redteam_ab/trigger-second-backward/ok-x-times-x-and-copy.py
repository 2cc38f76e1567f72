# x * x instead of x ** 2, first as a copy via torch.clone, the error left uncaught
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * (x * x)
y.backward()
first = torch.clone(w.grad)
y.backward()
