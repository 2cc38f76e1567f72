# a third opinion printed too: torch.autograd.grad with grad_outputs=v
import torch
from torch.autograd.functional import jacobian
J = jacobian(f, x0)
via_jacobian = J.T @ v
x = x0.clone().requires_grad_()
y = f(x)
third, = torch.autograd.grad(y, x, grad_outputs=v, retain_graph=True)
y.backward(gradient=v)
print(via_jacobian, x.grad, third)
