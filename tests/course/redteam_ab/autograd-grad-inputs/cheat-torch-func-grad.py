# the wrong tool: torch.func.grad on a rebuilt loss, plus a decoy autograd.grad call
import torch
from torch.func import grad
gw = grad(lambda w_: (torch.tanh(x * w_ + b.detach()) ** 2).mean())(w.detach())
gh = grad(lambda h_: (h_ ** 2).mean())(h.detach())
torch.autograd.grad(loss, w)
