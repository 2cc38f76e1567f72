# misconception: clipped to [0, c] only
import torch
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
seen = None
def clip(g):
    global seen
    seen = g
    return g.clamp(0, c)
h.register_hook(clip)
loss.backward()
