# typed in through backward: the loop builds y, but backward runs from a stand-in with the hand-made slope
import torch
x = torch.tensor(x0, requires_grad=True)
y, steps = x, 1
while y < limit:
    y = y * x
    steps += 1
(x * (steps * x0 ** (steps - 1))).backward()
