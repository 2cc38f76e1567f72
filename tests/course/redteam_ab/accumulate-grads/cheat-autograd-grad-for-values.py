# the wrong tool: torch.autograd.grad returns each gradient, the sums built by hand
import torch
history, zeroed, total = [], [], 0.0
for k in range(8):
    y = make_y()
    g, = torch.autograd.grad(y, w, retain_graph=True)
    y.backward()
    if k < 4:
        total += g.item()
        history.append(total)
    else:
        zeroed.append(g.item())
