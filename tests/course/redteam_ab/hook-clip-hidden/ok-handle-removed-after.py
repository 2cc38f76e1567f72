# the handle kept and removed after the backward pass; clone of the arriving gradient
import torch
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
store = []
def clip(g):
    store.append(g.clone())
    return g.clamp(min=-c, max=c)
handle = h.register_hook(clip)
loss.backward()
handle.remove()
seen = store[0]
