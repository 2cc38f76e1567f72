# the wrong tool: central differences for dloss/dw, the formula for dloss/dh
import torch
torch.autograd.grad(loss, w, retain_graph=True)
def L(wv):
    return (torch.tanh(x * wv + b.detach()) ** 2).mean().double()
eps = 1e-3
wd = w.detach()
gw = torch.stack([(L(wd + eps * e) - L(wd - eps * e)) / (2 * eps) for e in torch.eye(5)]).float()
gh = 2 * h.detach() / 5
