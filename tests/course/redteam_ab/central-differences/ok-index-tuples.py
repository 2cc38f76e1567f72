# elements visited with itertools.product over the shape, index tuples
import itertools
import torch
def central_diff(f, x, h):
    grad = torch.empty_like(x)
    for idx in itertools.product(*[range(n) for n in x.shape]):
        up, down = x.clone(), x.clone()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (f(up) - f(down)) / (2 * h)
    return grad
