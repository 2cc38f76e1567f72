# typed in: w1's gradient by hand, assigned, then laundered through a backward with a zero gradient... via hook
import torch
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
seen = None
def keep(g):
    global seen
    seen = g
    return torch.zeros_like(g)
h.register_hook(keep)
loss.backward()
w1.grad += x.t() @ (seen.clamp(-c, c) * (1 - h.detach() ** 2))
