# a for loop with a break, torch.mul, y.backward(torch.ones_like(y))
import torch
x = torch.tensor(x0, requires_grad=True)
y = x
steps = 1
for _ in range(1000):
    if y >= limit:
        break
    y = torch.mul(y, x)
    steps += 1
y.backward(torch.ones_like(y))
