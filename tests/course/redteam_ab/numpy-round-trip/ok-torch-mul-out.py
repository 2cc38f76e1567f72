# torch.mul with out=t; type(torch.float32); a list comprehension of .item()
import torch
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
t = torch.from_numpy(arr)
torch.mul(t, 2, out=t)
t32 = t.type(torch.float32)
moved = t32.to(device)
values = [v.item() for v in moved]
