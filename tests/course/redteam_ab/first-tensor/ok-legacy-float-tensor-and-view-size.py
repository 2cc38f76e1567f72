# torch.FloatTensor from the int tensor, view with a torch.Size and -1
import torch
t = torch.tensor(numbers, dtype=torch.int64)
f = torch.FloatTensor(t.tolist())
grid = f.view(torch.Size([2, -1]))
