# a snapshot as a NumPy array (not a tensor)
import torch
snapshot = w.detach().numpy().copy()
with torch.no_grad():
    w -= lr * w.grad
