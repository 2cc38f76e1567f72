# misconception: the gradient clipped in place inside the hook (seen then holds the clipped one)
import torch
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
seen = None
def clip(g):
    global seen
    seen = g
    g.clamp_(-c, c)
h.register_hook(clip)
loss.backward()
