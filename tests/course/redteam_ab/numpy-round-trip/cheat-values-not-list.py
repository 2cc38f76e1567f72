# misconception: values left as a tensor instead of a Python list
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
t = torch.from_numpy(arr)
t *= 2
t32 = t.float()
moved = t32.to(device)
values = moved
