# misconception: the whole forward pass under no_grad for w1, then w2's gradient by hand
import torch
with torch.no_grad():
    h = x * w1
y = (h * w2).sum()
y.backward()
