# misconception: one input point only (x = 1): a backward wrong for negatives slips through
import torch
def backward_ok(fn):
    x = torch.ones(1, dtype=torch.float64, requires_grad=True)
    return torch.autograd.gradcheck(fn, (x,), raise_exception=False)
