# the wrong tool: a Jacobian comparison by hand, gradcheck imported for the rule only
import torch
from torch.autograd import gradcheck
def backward_ok(fn):
    x = torch.linspace(-2, 2, 10, dtype=torch.float64, requires_grad=True)
    y = fn(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    h = 1e-6
    num = (fn(x.detach() + h) - fn(x.detach() - h)) / (2 * h)
    return bool(torch.allclose(g, num, atol=1e-5, rtol=1e-3))
