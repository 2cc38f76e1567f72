# decoy: gradcheck called on something else for the rule, the verdict from a comparison of one's own
# gap: require and the trace count calls, not whether their result was used: a decoy call satisfies them while the value comes from elsewhere
import torch
def backward_ok(fn):
    torch.autograd.gradcheck(lambda t: t * 2, (torch.ones(2, dtype=torch.float64, requires_grad=True),))
    x = torch.linspace(-2, 2, 10, dtype=torch.float64, requires_grad=True)
    v = torch.rand(10, dtype=torch.float64) + 0.5
    (g,) = torch.autograd.grad(fn(x), x, grad_outputs=v)
    h = 1e-6
    num = (fn(x.detach() + h) - fn(x.detach() - h)) / (2 * h) * v
    return bool(torch.allclose(g, num, atol=1e-5, rtol=1e-3))
