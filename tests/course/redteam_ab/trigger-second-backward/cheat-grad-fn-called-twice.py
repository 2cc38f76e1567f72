# shortcut: the node called by hand a second time (its saved tensors are freed)
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = w.grad.clone()
y.grad_fn(torch.tensor(1.0))
