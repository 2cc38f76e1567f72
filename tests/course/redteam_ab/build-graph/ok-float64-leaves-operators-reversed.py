# float64 leaves, operands swapped, torch.autograd.backward with an explicit gradient
import torch
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
a = x + w
b = 1 + w
y = b * a
torch.autograd.backward(y, torch.ones_like(y))
