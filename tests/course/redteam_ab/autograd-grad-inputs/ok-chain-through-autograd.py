# the chain rule done by autograd in two steps: dloss/dh first, then through h down to w
import torch
gh, = torch.autograd.grad(loss, h)
gw, = torch.autograd.grad(h, w, grad_outputs=gh)
print(gw.shape, gh)
