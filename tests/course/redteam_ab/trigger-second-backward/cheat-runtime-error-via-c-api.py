# raised by hand through a torch C function that raises a RuntimeError with any message
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = w.grad.clone()
torch.ones(2).view(3)
