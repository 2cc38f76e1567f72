# typed in: a backward pass from y scaled by 0, then the formula written through .grad.data
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = a * b
(y * 0).backward()
w.grad.data = torch.tensor(2 * w0 + x0 + 1)
x.grad.data = torch.tensor(w0 + 1)
