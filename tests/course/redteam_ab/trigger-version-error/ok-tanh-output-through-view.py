# tanh keeps its output; a view of it changed with mul_; torch.autograd.backward
import torch
t = torch.tanh(x @ w)
t[:2].mul_(0.5)
loss = t.sum()
torch.autograd.backward(loss)
