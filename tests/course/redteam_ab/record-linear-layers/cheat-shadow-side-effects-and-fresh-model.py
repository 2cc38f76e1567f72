# shadowing: two forward passes, with side_effects and fresh_model rebound
import torch
def record(model, x):
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    outs = {}
    hs = [m.register_forward_hook(lambda mod, i, o: outs.update({mod: o})) for m in layers]
    out = model(x).sum()
    grads = torch.autograd.grad(out, [outs[m] for m in layers])
    for h in hs:
        h.remove()
    model(x).sum().backward()
    return [outs[m] for m in layers], list(grads)
side_effects = lambda r: (1, True)
def fresh_model():
    return torch.nn.Sequential(torch.nn.Linear(3, 2))
