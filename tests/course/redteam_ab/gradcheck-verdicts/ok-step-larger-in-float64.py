# float64 with a step of 1e-2: central differences are still close enough at these tolerances
import torch
def backward_ok(fn):
    x = torch.linspace(-2, 2, 10, dtype=torch.float64, requires_grad=True)
    return torch.autograd.gradcheck(fn, (x,), eps=1e-2, raise_exception=False)
