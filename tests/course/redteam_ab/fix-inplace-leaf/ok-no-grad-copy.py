# no_grad with copy_ of the sum
import torch
with torch.no_grad():
    w.copy_(w + delta)
print(w.is_leaf, w.requires_grad)
