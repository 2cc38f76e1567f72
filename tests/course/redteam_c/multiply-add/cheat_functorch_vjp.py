# the wrong tool: backward asks functorch (the old name of torch.func) for the vector-Jacobian product
import functorch

class MultiplyAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x, b)
        return w * x + b

    @staticmethod
    def grad_of(w, x, b):
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        _, pullback = functorch.vjp(MultiplyAdd.grad_of, *ctx.saved_tensors)
        return pullback(grad_output)
