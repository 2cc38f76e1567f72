# misconception: a view through slicing shares memory and follows the update
import torch
snapshot = w.detach()[:]
with torch.no_grad():
    w -= lr * w.grad
