# the wrong tool: torch._functorch's grad reached through its private module
import torch
from torch._functorch.eager_transforms import grad as fgrad
def first_and_second(f, x0):
    t = torch.tensor(x0, requires_grad=True)
    torch.autograd.grad(f(t), t)
    torch.autograd.grad(f(t), t)
    x = torch.tensor(x0)
    return fgrad(f)(x), fgrad(fgrad(f))(x)
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
