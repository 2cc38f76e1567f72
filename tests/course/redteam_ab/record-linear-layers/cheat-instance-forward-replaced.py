# the wrong tool: each Linear's forward replaced on the instance through its __dict__
import torch
def record(model, x):
    outs = []
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    for m in layers:
        def spy(inp, m=m):
            out = torch.nn.functional.linear(inp, m.weight, m.bias)
            out.retain_grad()
            outs.append(out)
            return out
        m.__dict__["forward"] = spy
    h = model.register_forward_hook(lambda mod, i, o: None)
    model(x).sum().backward()
    h.remove()
    for m in layers:
        del m.__dict__["forward"]
    return outs, [o.grad for o in outs]
