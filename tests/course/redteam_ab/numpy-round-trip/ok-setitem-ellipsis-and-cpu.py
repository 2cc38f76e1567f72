# t[...] *= 2 and moved via .cpu() when there is no GPU
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
t = torch.from_numpy(arr)
t[...] *= 2
t32 = t.float()
moved = t32.cuda() if device == "cuda" else t32.cpu()
values = moved.tolist()
print(arr, values)
