# the wrong tool: the Hessian from torch.autograd.functional, imported under another name
import torch
import importlib
F = importlib.import_module("torch.autograd.functional")
def first_and_second(f, x0):
    x = torch.tensor(x0, requires_grad=True)
    d1, = torch.autograd.grad(f(x), x)
    torch.autograd.grad(f(x), x)
    return d1, F.hessian(f, torch.tensor(x0))
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
