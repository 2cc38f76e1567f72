# misconception: the loop runs while y <= limit and counts one factor too many on the boundary, and starts counting at 0
import torch
x = torch.tensor(x0, requires_grad=True)
y, steps = x, 0
while y < limit:
    y = y * x
    steps += 1
y.backward()
