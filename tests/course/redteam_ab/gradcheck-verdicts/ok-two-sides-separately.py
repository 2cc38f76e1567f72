# negatives and positives checked separately, both must pass
import torch
def backward_ok(fn):
    neg = -torch.linspace(0.2, 2, 6, dtype=torch.float64).requires_grad_()
    pos = torch.linspace(0.2, 2, 6, dtype=torch.float64).requires_grad_()
    return all(torch.autograd.gradcheck(fn, (t,), raise_exception=False) for t in (neg.detach().requires_grad_(), pos))
