# gradgradcheck first (overkill), then gradcheck; any failure caught as False
import torch
def backward_ok(fn):
    x = torch.linspace(-2, 2, 10, dtype=torch.float64, requires_grad=True)
    try:
        return torch.autograd.gradgradcheck(fn, (x,)) and torch.autograd.gradcheck(fn, (x,))
    except RuntimeError:
        return False
