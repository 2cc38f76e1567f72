# the int tensor from a NumPy array, type(torch.float32), a view of an unsqueezed view
import numpy as np
import torch
t = torch.from_numpy(np.array(numbers, dtype=np.int64))
f = t.type(torch.float32)
grid = f.unsqueeze(0).view(2, 3)
print(t, f, grid, sep="\n")
