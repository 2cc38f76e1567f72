# all shifted inputs at once in a batch, f applied row by row
import torch
def central_diff(f, x, h):
    n = x.numel()
    eye = torch.eye(n, dtype=x.dtype).reshape(n, *x.shape) * h
    ups = torch.stack([f(x + e) for e in eye])
    downs = torch.stack([f(x - e) for e in eye])
    return ((ups - downs) / (2 * h)).reshape(x.shape)
