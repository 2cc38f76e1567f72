# not a view: grid rebuilt from a NumPy copy of the numbers
import numpy as np
import torch
t = torch.tensor(numbers)
f = t.float()
grid = torch.tensor(np.array(numbers, dtype=np.float32).reshape(2, 3))
