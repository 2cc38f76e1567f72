# the wrong tool: backward asks functorch for the derivative of x ** 3
import functorch

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        _, pullback = functorch.vjp(lambda t: t ** 3, x)
        return pullback(grad_output)[0]

y = Cube.apply(x).sum()
y.backward()
