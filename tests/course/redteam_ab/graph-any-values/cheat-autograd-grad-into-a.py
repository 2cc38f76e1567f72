# the wrong tool: torch.autograd.grad for dy/da, assigned, then backward for the leaves
import torch
a = w + x
b = w + 1
y = a * b
ga, = torch.autograd.grad(y, a, retain_graph=True)
y.backward()
a.retain_grad()
a.grad = ga
