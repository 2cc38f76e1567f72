# recursive: one dimension at a time
import torch
def sum_to(grad, shape):
    shape = torch.Size(shape)
    if grad.dim() > len(shape):
        return sum_to(grad.sum(0), shape)
    for d in range(grad.dim()):
        if shape[d] == 1 and grad.shape[d] > 1:
            return sum_to(grad.sum(d, keepdim=True), shape)
    return grad
