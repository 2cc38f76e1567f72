# the wrong tool: J built from backward rows, jacobian called for show
import torch
from torch.autograd.functional import jacobian
jacobian(f, torch.zeros(3))
rows = []
for i in range(3):
    xi = x0.clone().requires_grad_()
    f(xi)[i].backward()
    rows.append(xi.grad)
J = torch.stack(rows)
via_jacobian = J.T @ v
x = x0.clone().requires_grad_()
f(x).backward(gradient=v)
