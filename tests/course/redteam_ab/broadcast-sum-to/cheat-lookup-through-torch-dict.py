# the wrong tool: sum_to_size fetched from torch.Tensor.__dict__
import torch
def sum_to(grad, shape):
    return torch.Tensor.__dict__["sum_to_size"](grad, shape)
