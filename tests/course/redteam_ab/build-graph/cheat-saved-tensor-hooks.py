# the wrong tool: saved-tensor hooks swap what the multiplication saved, so backward returns the formula
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 1):
    y = a * b
y.backward()
