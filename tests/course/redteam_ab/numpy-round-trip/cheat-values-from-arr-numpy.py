# misconception: values read from arr as NumPy floats (float64, not moved's float32 values)
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
t = torch.from_numpy(arr)
t *= 2
t32 = t.float()
moved = t32.to(device)
values = arr.tolist()
