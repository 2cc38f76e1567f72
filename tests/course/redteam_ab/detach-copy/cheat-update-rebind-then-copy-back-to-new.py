# shortcut: w rebound to a new leaf holding the updated values, snapshot correct
import torch
snapshot = w.detach().clone()
w = torch.nn.Parameter(w.detach() - lr * w.grad)
