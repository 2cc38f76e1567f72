# shortcut: one power plus steps - 1 terms x * 0, ending in a multiplication by 1
import torch
x = torch.tensor(x0, requires_grad=True)
value, steps = x0, 1
while value < limit:
    value *= x0
    steps += 1
y = x ** steps
for _ in range(steps - 1):
    y = y + x * 0
y = y * 1
y.backward()
