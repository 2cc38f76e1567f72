# shortcut: w1's storage swapped for a copy (set_), flag left on: still in the graph
import torch
with torch.no_grad():
    w1.set_(w1.detach().clone())
h = x * w1
y = (h * w2).sum()
y.backward()
