# the wrong tool: the expand node's apply reached through next_functions? no: via torch.autograd.Function of own making
import torch
class Expand(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t, shape):
        return t.expand(shape)
    @staticmethod
    def backward(ctx, g):
        return g, None
def sum_to(grad, shape):
    leaf = torch.zeros(shape, requires_grad=True)
    out = leaf.expand(grad.shape) * 1
    out.backward(grad)
    return leaf.grad
