# misconception: no one-hot: the gradient of the sum, repeated
import torch
def jacobian_rows(f, x):
    x = x.detach().requires_grad_()
    y = f(x)
    y.sum().backward()
    return x.grad.repeat(y.numel(), 1)
J = jacobian_rows(f, x0)
