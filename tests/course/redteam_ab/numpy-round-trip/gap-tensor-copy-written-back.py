# shortcut: a copy doubled, its values written back into arr with NumPy
# gap: NumPy-side writes leave no trace in torch (version counter, trace): arr doubled by NumPy, then a no-op in-place op on t, looks like the skill
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
t = torch.tensor(arr)
t *= 2
arr[:] = t.numpy()
t = torch.from_numpy(arr)
t += 0
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
