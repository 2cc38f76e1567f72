# the wrong tool: forward-mode AD with grad_output as the tangent
import torch.autograd.forward_ad as fwAD

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        with fwAD.dual_level():
            return fwAD.unpack_dual(fwAD.make_dual(x, grad_output) ** 3).tangent

y = Cube.apply(x).sum()
y.backward()
