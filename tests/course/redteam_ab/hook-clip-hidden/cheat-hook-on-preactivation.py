# misconception: the hook on x @ w1 (before tanh) instead of h
import torch
z = x @ w1
h = torch.tanh(z)
loss = ((h @ w2 - y) ** 2).mean()
seen = None
def clip(g):
    global seen
    seen = g
    return g.clamp(-c, c)
z.register_hook(clip)
loss.backward()
