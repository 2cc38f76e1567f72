# typed in: the chain rule by hand, plus an autograd.grad call for show
import torch
torch.autograd.grad(loss, b, retain_graph=True)
hd = h.detach()
gh = 2 * hd / hd.numel()
gw = gh * (1 - hd ** 2) * x
