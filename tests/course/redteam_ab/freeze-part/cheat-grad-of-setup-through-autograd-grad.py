# the wrong tool: torch.autograd.grad for w2, assigned
import torch
w1.requires_grad_(False)
h = x * w1
y = (h * w2).sum()
w2.grad, = torch.autograd.grad(y, w2)
