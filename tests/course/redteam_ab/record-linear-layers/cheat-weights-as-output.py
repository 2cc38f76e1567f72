# misconception: the forward hook keeps the layer's input instead of its output
import torch
def record(model, x):
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    outs, grads, handles = {}, {}, []
    for m in layers:
        handles.append(m.register_forward_hook(lambda mod, i, o: outs.update({mod: i[0]})))
        handles.append(m.register_full_backward_hook(lambda mod, gi, go: grads.update({mod: go[0]})))
    model(x).sum().backward()
    for h in handles:
        h.remove()
    return [outs[m] for m in layers], [grads[m] for m in layers]
