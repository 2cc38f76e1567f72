# misconception: float32 with loosened tolerances
import torch, warnings
def backward_ok(fn):
    warnings.simplefilter("ignore")
    x = torch.linspace(-2, 2, 10, requires_grad=True)
    return torch.autograd.gradcheck(fn, (x,), eps=1e-3, atol=1e-2, rtol=1e-2, raise_exception=False)
