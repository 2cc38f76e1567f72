# many random float64 points on both sides of 0, the GradcheckError caught by its own class
import torch
from torch.autograd.gradcheck import GradcheckError
def backward_ok(fn):
    x = (3 * torch.randn(20, dtype=torch.float64)).requires_grad_()
    try:
        return bool(torch.autograd.gradcheck(fn, (x,), eps=1e-6, atol=1e-5))
    except GradcheckError:
        return False
