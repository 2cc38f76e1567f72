# x changed in place and put back after each element (allowed: the check tolerates rounding)
import torch
def central_diff(f, x, h):
    grad = torch.zeros_like(x)
    flat = x.view(-1)
    for i in range(x.numel()):
        flat[i] += h
        up = f(x)
        flat[i] -= 2 * h
        down = f(x)
        flat[i] += h
        grad.view(-1)[i] = (up - down) / (2 * h)
    return grad
