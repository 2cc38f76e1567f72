# the wrong tool: grads for every tensor of the caller's frame, through torch.autograd.grad
import sys
import torch
def leaves_of(t):
    frame = sys._getframe(1)
    pool = frame.f_locals.get("pool", [])
    cands = [p for p in pool if p.requires_grad]
    gs = torch.autograd.grad(t, cands, allow_unused=True, retain_graph=True)
    return [p for p, g in zip(cands, gs) if g is not None]
