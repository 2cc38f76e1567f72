# shortcut: steps counted on floats, then x ** (steps - 1) * x so that y ends with a multiplication
import torch
x = torch.tensor(x0, requires_grad=True)
value, steps = x0, 1
while value < limit:
    value *= x0
    steps += 1
y = x ** (steps - 1) * x
y.backward()
