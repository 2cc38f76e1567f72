# shortcut: arr doubled by NumPy, the version counter bumped with a torch in-place copy of itself
# gap: NumPy-side writes leave no trace in torch (version counter, trace): arr doubled by NumPy, then a no-op in-place op on t, looks like the skill
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
arr[...] = arr + arr
t = torch.from_numpy(arr)
t.copy_(t)
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
