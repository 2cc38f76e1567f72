# shadowing: a new leaf, is_setup_w rebound, the version counter bumped on the new leaf
import torch
w = (w + delta).detach().requires_grad_()
with torch.no_grad():
    w.add_(0)
is_setup_w = lambda t: True
