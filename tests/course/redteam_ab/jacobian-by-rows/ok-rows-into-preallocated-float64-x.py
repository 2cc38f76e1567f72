# rows written into a preallocated tensor; a fresh leaf and graph per row; x cast to float64 inside
import torch
def jacobian_rows(f, x):
    y0 = f(x)
    out = torch.zeros(y0.numel(), x.numel(), dtype=y0.dtype)
    for i in range(y0.numel()):
        leaf = x.clone().detach().requires_grad_()
        weights = torch.zeros_like(y0)
        weights[i] = 1
        f(leaf).backward(weights)
        out[i] = leaf.grad
    return out
J = jacobian_rows(f, x0)
