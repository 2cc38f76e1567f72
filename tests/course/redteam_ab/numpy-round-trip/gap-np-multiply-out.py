# shortcut: np.multiply with out=arr, then t made and touched in place
import numpy as np
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
np.multiply(arr, 2, out=arr)
t = torch.from_numpy(arr)
t[:] = t
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
