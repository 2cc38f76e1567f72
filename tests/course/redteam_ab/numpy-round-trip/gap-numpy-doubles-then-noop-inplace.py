# shortcut: arr doubled with NumPy, then a no-op in-place change of t to bump its version
# gap: NumPy-side writes leave no trace in torch (version counter, trace): arr doubled by NumPy, then a no-op in-place op on t, looks like the skill
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
arr *= 2
t = torch.from_numpy(arr)
t.mul_(1)
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
