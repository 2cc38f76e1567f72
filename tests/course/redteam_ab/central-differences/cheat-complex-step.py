# the wrong tool: the complex-step derivative (Im f(x + ih) / h), not central differences
import torch
def central_diff(f, x, h):
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros(x.shape, dtype=torch.complex128)
        step.view(-1)[i] = 1e-20j
        grad.view(-1)[i] = f(x.to(torch.complex128) + step).imag / 1e-20
    return grad
