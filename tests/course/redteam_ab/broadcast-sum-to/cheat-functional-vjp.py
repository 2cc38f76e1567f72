# the wrong tool: the vjp of expand computed by torch.func... through the autograd engine of a view
import torch
def sum_to(grad, shape):
    leaf = torch.zeros(shape, requires_grad=True)
    out = leaf.expand(grad.shape)
    (g,) = torch.autograd.grad(out, leaf, grad)
    return g
