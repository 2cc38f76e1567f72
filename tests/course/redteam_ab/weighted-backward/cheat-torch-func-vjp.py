# the wrong tool: torch.func.vjp, the result put into x.grad by accumulation from a stand-in
import torch
from torch.func import vjp
_, pull = vjp(f, x.detach())
g, = pull(v)
y = f(x)
y.backward(torch.zeros_like(y))
with torch.no_grad():
    x.grad += g
