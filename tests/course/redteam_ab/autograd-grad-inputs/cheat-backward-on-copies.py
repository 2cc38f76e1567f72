# the wrong tool: backward on a copy of the graph built from detached leaves
import torch
w2 = w.detach().requires_grad_()
h2 = torch.tanh(x * w2 + b.detach())
h2.retain_grad()
(h2 ** 2).mean().backward()
gw, gh = w2.grad, h2.grad
torch.autograd.grad(loss, w)
