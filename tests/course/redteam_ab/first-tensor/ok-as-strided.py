# as_strided: an explicit view with strides (3, 1); float made with dtype=
import torch
t = torch.tensor(numbers)
f = torch.tensor(numbers, dtype=torch.float)
grid = torch.as_strided(f, (2, 3), (3, 1))
