# leading dims summed away with tensordot by ones (own sums, another way)
import torch
def sum_to(grad, shape):
    shape = tuple(shape)
    g = grad
    while g.dim() > len(shape):
        g = torch.tensordot(torch.ones(g.shape[0]), g, dims=1)
    for d, n in enumerate(shape):
        if n == 1 and g.shape[d] != 1:
            g = g.sum(d, keepdim=True)
    return g
