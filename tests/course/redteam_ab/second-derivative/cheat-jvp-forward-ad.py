# the wrong tool: forward-mode AD for the second derivative
import torch
import torch.autograd.forward_ad as fwAD
def first_and_second(f, x0):
    x = torch.tensor(x0, requires_grad=True)
    d1, = torch.autograd.grad(f(x), x, create_graph=True)
    torch.autograd.grad(f(x), x)
    with fwAD.dual_level():
        xd = fwAD.make_dual(torch.tensor(x0), torch.tensor(1.0))
        xr = xd.detach().requires_grad_() if False else None
        g = lambda t: torch.autograd.grad(f(t), t, create_graph=True)[0]
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    h = 1e-4
    d2 = (g(t + h) - g(t - h)) / (2 * h)
    return d1, d2
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
