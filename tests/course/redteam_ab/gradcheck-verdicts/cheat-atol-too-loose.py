# misconception: tolerances loosened in float64 until a 1 % mistake slips through
import torch
def backward_ok(fn):
    x = torch.linspace(-2, 2, 10, dtype=torch.float64, requires_grad=True)
    return torch.autograd.gradcheck(fn, (x,), atol=0.1, rtol=0.05, raise_exception=False)
