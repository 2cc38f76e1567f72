# misconception: w2's gradient clipped as well
import torch
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
seen = None
def clip(g):
    global seen
    seen = g
    return g.clamp(-c, c)
h.register_hook(clip)
w2.register_hook(lambda g: g.clamp(-c, c))
loss.backward()
