# an SGD optimizer holding w, whose step() changes w in place: the gradient set to -delta for it
import torch
opt = torch.optim.SGD([w], lr=1.0)
w.grad = -delta.clone()
opt.step()
w.grad = None
