# sum with keepdim over every stretched dim (leading ones too), then view to the shape
def sum_to(grad, shape):
    shape = tuple(shape)
    padded = (1,) * (grad.dim() - len(shape)) + shape
    dims = tuple(i for i, n in enumerate(padded) if n == 1 and grad.shape[i] != 1)
    out = grad.sum(dim=dims, keepdim=True) if dims else grad
    return out.view(shape)
