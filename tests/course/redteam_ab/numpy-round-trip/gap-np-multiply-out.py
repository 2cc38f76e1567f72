# shortcut: np.multiply with out=arr, then t made and touched in place
# gap: NumPy-side writes leave no trace in torch (version counter, trace): arr doubled by NumPy, then a no-op in-place op on t, looks like the skill
import numpy as np
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
np.multiply(arr, 2, out=arr)
t = torch.from_numpy(arr)
t[:] = t
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
