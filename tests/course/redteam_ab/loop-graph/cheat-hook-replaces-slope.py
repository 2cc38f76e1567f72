# the wrong tool: a leaf hook replaces the gradient by the hand-made slope
import torch
x = torch.tensor(x0, requires_grad=True)
value, steps = x0, 1
while value < limit:
    value *= x0
    steps += 1
x.register_hook(lambda g: torch.tensor(steps * x0 ** (steps - 1)))
y = x
for _ in range(3):
    y = y * x
y = y * (value / x0 ** 4)
y.backward()
