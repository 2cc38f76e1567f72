# hooks registered through model.apply
import torch
def record(model, x):
    order, outs, grads, handles = [], {}, {}, []
    def attach(m):
        if isinstance(m, torch.nn.Linear):
            order.append(m)
            handles.append(m.register_forward_hook(lambda mod, i, o: outs.__setitem__(mod, o)))
            handles.append(m.register_full_backward_hook(lambda mod, gi, go: grads.__setitem__(mod, go[0])))
    model.apply(attach)
    model(x).sum().backward()
    [h.remove() for h in handles]
    return [outs[m] for m in order], [grads[m] for m in order]
