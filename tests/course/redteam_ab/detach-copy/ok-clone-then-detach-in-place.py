# clone() then detach_() on the clone: a copy cut out of the graph in place
import torch
snapshot = w.clone()
snapshot.detach_()
with torch.no_grad():
    w -= lr * w.grad
