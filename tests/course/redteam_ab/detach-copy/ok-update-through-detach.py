# the update through detach(), which shares the version counter (autograd still sees it)
import torch
snapshot = w.detach().clone()
w.detach().sub_(lr * w.grad)
