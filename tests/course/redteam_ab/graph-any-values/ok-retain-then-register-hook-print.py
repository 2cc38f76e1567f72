# retain_grad on a, a looking hook printing the gradient, Tensor.backward(torch.ones(()))
import torch
a = w + x
b = w + 1
a.retain_grad()
a.register_hook(lambda g: print("dy/da =", g))
y = a * b
y.backward(torch.ones(()))
