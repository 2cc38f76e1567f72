# shortcut: arr doubled by NumPy, the version counter bumped with a torch in-place copy of itself
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
arr[...] = arr + arr
t = torch.from_numpy(arr)
t.copy_(t)
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
