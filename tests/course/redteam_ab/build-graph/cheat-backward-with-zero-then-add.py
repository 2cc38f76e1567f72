# typed in: backward with gradient 0 (so .grad exists and is autograd's), then the formula added in place
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = a * b
y.backward(torch.tensor(0.0))
w.grad += 2 * w0 + x0 + 1
x.grad += w0 + 1
