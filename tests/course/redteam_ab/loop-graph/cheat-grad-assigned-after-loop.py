# typed in: the loop builds y, the derivative is assigned
import torch
x = torch.tensor(x0, requires_grad=True)
y, steps = x, 1
while y < limit:
    y = y * x
    steps += 1
x.grad = (steps * x.detach() ** (steps - 1)).clone()
