# an SGD optimizer on [w] does the in-place update
import torch
snapshot = w.detach().clone()
opt = torch.optim.SGD([w], lr=lr)
opt.step()
