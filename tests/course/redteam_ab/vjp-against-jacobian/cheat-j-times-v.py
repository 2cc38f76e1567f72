# misconception: J @ v
from torch.autograd.functional import jacobian
J = jacobian(f, x0)
via_jacobian = J @ v
x = x0.clone().requires_grad_()
f(x).backward(gradient=v)
