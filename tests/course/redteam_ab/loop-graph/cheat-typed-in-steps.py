# typed in: steps of the first visible seed
import torch
x = torch.tensor(x0, requires_grad=True)
steps = 11
y = x
for _ in range(steps - 1):
    y = y * x
y.backward()
