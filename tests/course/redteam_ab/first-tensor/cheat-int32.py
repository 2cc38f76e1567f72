# misconception: torch.IntTensor for whole numbers (int32, not the int64 PyTorch picks)
import torch
t = torch.IntTensor(numbers)
f = t.float()
grid = f.view(2, 3)
