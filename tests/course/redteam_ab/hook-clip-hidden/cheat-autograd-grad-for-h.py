# the wrong tool: dloss/dh from torch.autograd.grad, then a second backward from h with the clipped gradient
import torch
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
h.register_hook(lambda g: None)
seen, = torch.autograd.grad(loss, h, retain_graph=True)
loss.backward(inputs=[w2])
h.backward(seen.clamp(-c, c))
