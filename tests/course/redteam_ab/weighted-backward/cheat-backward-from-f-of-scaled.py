# shortcut: the weights folded into a second output built by hand, y rebound to it
import torch
y = f(x) * v
y.backward(torch.ones_like(y))
