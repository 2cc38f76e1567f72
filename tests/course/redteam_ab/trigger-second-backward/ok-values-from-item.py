# first kept as a float tensor made from .item(); the second pass through torch.autograd.backward
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = torch.tensor(w.grad.item())
torch.autograd.backward(y)
