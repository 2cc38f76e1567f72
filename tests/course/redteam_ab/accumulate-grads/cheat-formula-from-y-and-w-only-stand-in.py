# typed in: the formula for w, and stand-ins that give x its gradients but leave w alone
import torch
gs = []
for _ in range(8):
    y = make_y()
    c = y.item() / ((w + x) * (w + 1)).item()
    gs.append(c * float(2 * w + x + 1))
    (x * (c * float(w + 1)) + w * 0).backward()
history = [sum(gs[:k]) for k in range(1, 5)]
zeroed = gs[4:]
