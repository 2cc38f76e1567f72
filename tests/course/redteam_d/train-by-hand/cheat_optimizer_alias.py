# shortcut: torch.optim.SGD reached through an alias, with gradients from jacobian (no update by hand)
from torch.nn.modules import module as _m

T = _m.torch
w1, w2 = T.nn.Parameter(w1), T.nn.Parameter(w2)
opt = T.optim.SGD([w1, w2], lr=learning_rate)
f = lambda a, b: (x.mm(a).clamp(min=0).mm(b) - y).pow(2).sum()
losses = []
for t in range(200):
    with T.no_grad():
        losses.append(f(w1, w2).item())
    g1, g2 = T.autograd.functional.jacobian(f, (w1.detach(), w2.detach()))
    setattr(w1, "gr" "ad", g1)
    setattr(w2, "gr" "ad", g2)
    opt.step()
