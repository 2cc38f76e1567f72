# the wrong tool: only dloss/dh from autograd, dloss/dw by the chain rule from it
import torch
gh, = torch.autograd.grad(loss, h)
gw = gh * (1 - h.detach() ** 2) * x
