# the wrong tool: forward-mode AD (dual numbers) computes each input's product with grad_output
import torch.autograd.forward_ad as fwAD

class MultiplyAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x, b)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        saved = ctx.saved_tensors
        grads = []
        with fwAD.dual_level():
            for i in range(3):
                args = [fwAD.make_dual(t, grad_output if j == i else torch.zeros_like(t)) for j, t in enumerate(saved)]
                grads.append(fwAD.unpack_dual(args[0] * args[1] + args[2]).tangent)
        return tuple(grads)
