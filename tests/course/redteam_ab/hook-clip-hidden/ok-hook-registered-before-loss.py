# the hook registered right after h is made, before the loss; torch.clip
import torch
h = torch.tanh(x @ w1)
seen = None
def clip(g):
    global seen
    seen = g
    return torch.clip(g, -c, c)
h.register_hook(clip)
out = h @ w2
loss = torch.nn.functional.mse_loss(out, y)
loss.backward()
