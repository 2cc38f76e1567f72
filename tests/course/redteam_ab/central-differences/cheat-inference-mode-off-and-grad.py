# the wrong tool: grad mode switched on through torch.is_grad_enabled's sibling torch.autograd.grad_mode
import torch
def central_diff(f, x, h):
    with torch.autograd.grad_mode.set_grad_enabled(True):
        leaf = x.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(leaf), leaf)
    return g
