# the wrong tool: outputs from forward hooks, gradients worked out from the next layers' weights by hand (wrong through Block)
import torch
def record(model, x):
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    outs = {}
    hs = [m.register_forward_hook(lambda mod, i, o: outs.update({mod: o})) for m in layers]
    model(x).sum().backward()
    for h in hs:
        h.remove()
    grads, g = [], torch.ones_like(outs[layers[-1]])
    for m in reversed(layers):
        grads.insert(0, g)
        g = g @ m.weight
    return [outs[m] for m in layers], grads
