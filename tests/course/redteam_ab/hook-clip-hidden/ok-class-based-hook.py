# a small class whose __call__ is the hook; torch.where for the clipping
import torch
class Clipper:
    def __init__(self, bound):
        self.bound, self.arrived = bound, None
    def __call__(self, g):
        self.arrived = g
        return torch.where(g > self.bound, self.bound, torch.where(g < -self.bound, -self.bound, g))
clipper = Clipper(c)
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
h.register_hook(clipper)
loss.backward()
seen = clipper.arrived
