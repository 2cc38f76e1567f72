# t.add_(t) doubles in place; .to(torch.float32); list(map(float, ...))
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
t = torch.from_numpy(arr)
t.add_(t)
t32 = t.to(torch.float32)
moved = t32.to(device=device)
values = list(map(float, moved))
