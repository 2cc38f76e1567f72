# the mean over the stretched dims times how many there were (a sum written another way)
import math
def sum_to(grad, shape):
    shape = tuple(shape)
    lead = grad.dim() - len(shape)
    dims = list(range(lead)) + [lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1]
    if not dims:
        return grad.reshape(shape)
    count = math.prod(grad.shape[d] for d in dims)
    return (grad.mean(dim=dims) * count).reshape(shape)
