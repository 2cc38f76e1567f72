# misconception: requires_grad switched off on the clone (it is not a leaf: that raises)
import torch
snapshot = w.clone()
snapshot.requires_grad_(False)
with torch.no_grad():
    w -= lr * w.grad
