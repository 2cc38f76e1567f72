# the functional forms: torch.reshape (a view here, f being contiguous), t.to(dtype=...)
import torch
t = torch.tensor(numbers)
f = t.to(dtype=torch.float32)
grid = torch.reshape(f, (-1, 3))
