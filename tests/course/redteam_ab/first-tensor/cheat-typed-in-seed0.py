# typed in: the numbers of the first visible seed
import torch
t = torch.tensor([3, 4, -8, -1, 7, 6])
f = t.float()
grid = f.view(2, 3)
