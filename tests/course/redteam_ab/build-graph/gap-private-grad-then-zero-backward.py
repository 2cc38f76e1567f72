# typed in: the formula written through ._grad (which the trace never sees), then a zero backward from y
# gap: trace.grad_source says 'autograd' for a .grad the code assigned (or wrote through ._grad) once a later backward pass adds into it, e.g. with a zero gradient
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = a * b
w._grad = torch.tensor(2 * w0 + x0 + 1)
x._grad = torch.tensor(w0 + 1)
y.backward(torch.tensor(0.0))
