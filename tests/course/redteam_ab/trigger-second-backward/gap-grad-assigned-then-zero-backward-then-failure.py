# typed in: first assigned by hand, then y's real second backward
# gap: trace.grad_source says 'autograd' for a .grad the code assigned (or wrote through ._grad) once a later backward pass adds into it, e.g. with a zero gradient
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
first = torch.tensor(x0 ** 2)
w.grad = first.clone()
x.grad = torch.tensor(2 * w0 * x0)
y.backward(torch.tensor(0.0))
y.backward()
