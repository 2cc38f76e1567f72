# the wrong tool: torch._functorch's grad of the cube (a private path to torch.func)
from torch._functorch.eager_transforms import vjp

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return vjp(lambda t: t ** 3, x)[1](grad_output)[0]

y = Cube.apply(x).sum()
y.backward()
