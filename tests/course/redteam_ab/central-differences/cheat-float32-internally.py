# misconception: the evaluations in float32 (the input's dtype is not kept)
import torch
def central_diff(f, x, h):
    x32 = x.float()
    grad = torch.zeros_like(x32)
    for i in range(x.numel()):
        e = torch.zeros_like(x32)
        e.view(-1)[i] = h
        grad.view(-1)[i] = (f(x32 + e) - f(x32 - e)) / (2 * h)
    return grad
