# the wrong tool: central finite differences in float64 instead of the derived formula
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        d = x.double()
        slope = ((d + 1e-5) ** 3 - (d - 1e-5) ** 3) / 2e-5
        return (grad_output.double() * slope).to(grad_output.dtype)

y = Cube.apply(x).sum()
y.backward()
