# misconception: under no_grad, w = w + delta (a new tensor that does not require grad)
import torch
with torch.no_grad():
    w = w + delta
w.requires_grad_()
