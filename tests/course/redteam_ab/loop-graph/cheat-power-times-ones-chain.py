# shortcut: one power, then multiplications by 1 so that the graph has steps - 1 multiplications
import torch
x = torch.tensor(x0, requires_grad=True)
value, steps = x0, 1
while value < limit:
    value *= x0
    steps += 1
y = x ** steps
for _ in range(steps - 1):
    y = y * 1
y.backward()
