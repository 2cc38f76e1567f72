# v^T J as the sum of the rows weighed by v; strict jacobian
import torch
from torch.autograd.functional import jacobian
J = jacobian(f, x0, strict=False)
via_jacobian = (v.unsqueeze(1) * J).sum(dim=0)
x = x0.clone().requires_grad_(True)
f(x).backward(gradient=v)
