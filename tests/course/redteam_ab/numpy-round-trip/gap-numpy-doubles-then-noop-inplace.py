# shortcut: arr doubled with NumPy, then a no-op in-place change of t to bump its version
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
arr *= 2
t = torch.from_numpy(arr)
t.mul_(1)
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
