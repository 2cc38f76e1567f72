# the wrong tool: torch.autograd.functional.vjp on rebuilt functions
import torch
from torch.autograd.functional import vjp
_, gw = vjp(lambda w_: (torch.tanh(x * w_ + b.detach()) ** 2).mean(), w.detach())
_, gh = vjp(lambda h_: (h_ ** 2).mean(), h.detach())
torch.autograd.grad(loss, b)
