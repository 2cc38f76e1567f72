# a list of inputs, allow_unused, and the gradients unpacked from the tuple
import torch
grads = torch.autograd.grad(loss, [w, h], allow_unused=True)
gw, gh = grads
print(gw.shape, gh.shape)
