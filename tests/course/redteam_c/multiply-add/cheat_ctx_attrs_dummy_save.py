# misconception: w and x kept as ctx attributes, save_for_backward handed only b so something is saved
class MultiplyAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(b)
        ctx.w, ctx.x = w, x
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.x, grad_output * ctx.w, grad_output
