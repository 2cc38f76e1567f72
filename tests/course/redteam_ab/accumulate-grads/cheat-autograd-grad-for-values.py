# the wrong tool: torch.autograd.grad returns dy/dw, the sums built by hand, 8 backward passes for show
import torch
history, zeroed, total = [], [], 0.0
for _ in range(4):
    y = (w + x) * (w + 1)
    g, = torch.autograd.grad(y, w)
    total += g.item()
    history.append(total)
    zeroed.append(g.item())
for _ in range(8):
    (w * 0 + x * 0).backward()
