# the wrong tool: retains_grad faked by a property on a subclass
import torch
class Kept(torch.Tensor):
    retains_grad = True
a = w + x
b = w + 1
y = a * b
y.backward()
a = a.as_subclass(Kept)
