# no_grad with an assignment into every element
import torch
with torch.no_grad():
    w[:] = w + delta
