# shortcut: the doubling done by NumPy through t.numpy(), then a no-op in-place op on t
# gap: NumPy-side writes leave no trace in torch (version counter, trace): arr doubled by NumPy, then a no-op in-place op on t, looks like the skill
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
t = torch.from_numpy(arr)
t.numpy()[:] *= 2
t.add_(0)
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
