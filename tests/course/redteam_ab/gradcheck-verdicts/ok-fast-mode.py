# gradcheck's fast mode on a spread of float64 values
import torch
def backward_ok(fn):
    x = torch.linspace(-2.5, 2.5, 12, dtype=torch.float64, requires_grad=True)
    return torch.autograd.gradcheck(fn, (x,), fast_mode=True, raise_exception=False)
