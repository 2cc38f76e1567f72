# misconception: the derivative written as 3 * out (x ** 3 saved instead of x)
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = x ** 3
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        return grad_output * 3 * out

y = Cube.apply(x).sum()
y.backward()
