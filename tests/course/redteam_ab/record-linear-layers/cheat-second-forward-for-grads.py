# the wrong tool: outputs from hooks, gradients from a second forward with autograd.grad
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
