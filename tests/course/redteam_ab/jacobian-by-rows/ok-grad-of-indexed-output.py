# the gradient of y[i] (a scalar) for each i: the same as a one-hot v
import torch
def jacobian_rows(f, x):
    x = x.detach().requires_grad_()
    y = f(x)
    return torch.stack([torch.autograd.grad(y[i], x, retain_graph=True)[0] for i in range(len(y))])
J = jacobian_rows(f, x0)
