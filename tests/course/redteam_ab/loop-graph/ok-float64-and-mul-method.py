# float64 leaf, y.mul(x), the count kept in a list
import torch
x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
y, factors = x, [x]
while y < limit:
    y = y.mul(x)
    factors.append(x)
steps = len(factors)
y.backward()
print(steps, y.item(), x.grad.item())
