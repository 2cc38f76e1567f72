# b asked for as well (a third input), then ignored
import torch
gw, gb, gh = torch.autograd.grad(loss, (w, b, h))
