# y starts as a clone of x (not the leaf), so multiplying it in place is allowed
import torch
x = torch.tensor(x0, requires_grad=True)
y = x.clone()
steps = 1
while y.item() < limit:
    y *= x
    steps += 1
y.backward()
