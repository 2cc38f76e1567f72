# the wrong tool: aten's sum_to_size through torch.ops
import torch
def sum_to(grad, shape):
    return torch.ops.aten.sum_to_size(grad, list(shape))
