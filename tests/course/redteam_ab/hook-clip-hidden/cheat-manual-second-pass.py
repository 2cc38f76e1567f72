# the wrong tool: w1's gradient by hand from the clipped gradient of h, assigned; a hook only to record
import torch
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
seen = None
def keep(g):
    global seen
    seen = g
h.register_hook(keep)
loss.backward()
w1.grad = x.t() @ (seen.clamp(-c, c) * (1 - h.detach() ** 2))
