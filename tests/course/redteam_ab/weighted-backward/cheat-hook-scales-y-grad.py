# not the skill: y.backward(ones) with a hook on y that swaps the ones for v
import torch
y = f(x)
y.register_hook(lambda g: g * v)
y.backward(torch.ones_like(y))
