# shortcut: arr replaced by a new doubled array that t shares
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
arr = arr * 2
t = torch.from_numpy(arr)
t.mul_(1)
t32 = t.float()
moved = t32.to(device)
values = moved.tolist()
