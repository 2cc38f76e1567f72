# typed in: x.grad copied from J, a backward with zeros for the trace
# gap: trace.grad_source says 'autograd' for a .grad the code assigned (or wrote through ._grad) once a later backward pass adds into it, e.g. with a zero gradient
import torch
from torch.autograd.functional import jacobian
J = jacobian(f, x0)
via_jacobian = J.T @ v
x = x0.clone().requires_grad_()
x.grad = via_jacobian.clone()
f(x).backward(gradient=torch.zeros(3))
