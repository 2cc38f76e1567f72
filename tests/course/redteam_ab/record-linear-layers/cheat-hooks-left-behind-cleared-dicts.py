# misconception: hooks never removed, the hook dictionaries cleared by hand instead
import torch
def record(model, x):
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    outs, grads = {}, {}
    for m in layers:
        m.register_forward_hook(lambda mod, i, o: outs.update({mod: o}))
        m.register_full_backward_hook(lambda mod, gi, go: grads.update({mod: go[0]}))
    model(x).sum().backward()
    for m in layers:
        m._forward_hooks.clear()
        m._backward_hooks.clear()
    return [outs[m] for m in layers], [grads[m] for m in layers]
