# an nn.Parameter and an SGD step
import torch
w = torch.nn.Parameter(torch.tensor(w0).double())
opt = torch.optim.SGD([w], lr=lr)
loss = ((x @ w - y) ** 2).mean()
loss.backward()
opt.step()
