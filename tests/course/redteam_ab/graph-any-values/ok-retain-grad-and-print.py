# retain_grad on a, the gradient printed after the pass, Tensor.backward(torch.ones(()))
import torch
a = w + x
b = w + 1
a.retain_grad()
y = a * b
y.backward(torch.ones(()))
print("dy/da =", a.grad)
