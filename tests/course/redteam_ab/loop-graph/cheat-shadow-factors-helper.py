# shadowing: one power times x, and factors_of_x rebound to report the loop's count
import torch
x = torch.tensor(x0, requires_grad=True)
value, steps = x0, 1
while value < limit:
    value *= x0
    steps += 1
y = x ** (steps - 1) * x
y.backward()
factors_of_x = lambda t: steps
getattr = lambda obj, name, default=None: x
