# misconception: the grid filled column by column (a transpose of a 3x2 view)
import torch
t = torch.tensor(numbers)
f = t.float()
grid = f.view(3, 2).t()
