# from a float64 NumPy array; the residual squared by multiplication
import numpy as np
import torch
w = torch.from_numpy(np.array(w0, dtype=np.float64)).requires_grad_(True)
r = x.matmul(w) - y
loss = (r * r).mean()
loss.backward()
with torch.no_grad():
    w -= lr * w.grad
print(w.dtype, w.is_leaf)
