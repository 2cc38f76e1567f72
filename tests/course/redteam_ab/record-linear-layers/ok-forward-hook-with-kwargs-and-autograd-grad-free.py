# forward hooks with with_kwargs=True, backward hooks; the results detached
import torch
def record(model, x):
    layers = [m for m in model.modules() if type(m) is torch.nn.Linear]
    outs, grads, handles = {}, {}, []
    for m in layers:
        handles.append(m.register_forward_hook(lambda mod, args, kwargs, out: outs.__setitem__(mod, out), with_kwargs=True))
        handles.append(m.register_full_backward_hook(lambda mod, gin, gout: grads.__setitem__(mod, gout[0])))
    total = model(x).sum()
    total.backward()
    for h in handles:
        h.remove()
    return [outs[m].detach() for m in layers], [grads[m].detach() for m in layers]
