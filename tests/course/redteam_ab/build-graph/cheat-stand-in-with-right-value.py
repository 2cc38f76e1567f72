# typed in through backward: a stand-in whose value is a * b and whose gradients are the formula's
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
s = w * (2 * w0 + x0 + 1) + x * (w0 + 1)
y = ((s - s.detach()) + (a * b).detach()) * 1
y.backward()
