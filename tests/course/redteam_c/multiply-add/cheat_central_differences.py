# the wrong tool: central finite differences of forward's formula instead of derived gradients
class MultiplyAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x, b)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        saved = [t.double() for t in ctx.saved_tensors]
        f = lambda w, x, b: w * x + b
        grads = []
        for i in range(3):
            up = [t + 1e-3 if j == i else t for j, t in enumerate(saved)]
            down = [t - 1e-3 if j == i else t for j, t in enumerate(saved)]
            grads.append((grad_output.double() * (f(*up) - f(*down)) / 2e-3).to(grad_output.dtype))
        return tuple(grads)
