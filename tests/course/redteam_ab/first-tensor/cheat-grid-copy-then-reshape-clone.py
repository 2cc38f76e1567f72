# not a view: reshape then clone (a copy with its own memory)
import torch
t = torch.tensor(numbers)
f = t.float()
grid = f.reshape(2, 3).clone()
