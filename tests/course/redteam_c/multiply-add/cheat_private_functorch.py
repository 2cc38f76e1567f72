# the wrong tool: torch._functorch's vjp (a private path to torch.func)
from torch._functorch.eager_transforms import vjp

class MultiplyAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x, b)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        _, pullback = vjp(lambda w, x, b: w * x + b, *ctx.saved_tensors)
        return pullback(grad_output)
