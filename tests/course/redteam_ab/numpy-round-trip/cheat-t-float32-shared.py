# misconception: t made float32 first (a copy), so arr is never changed
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
t = torch.from_numpy(arr).float()
t *= 2
t32 = t
moved = t32.to(device)
values = moved.tolist()
