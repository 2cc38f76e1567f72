# the wrong tool: torch.func.linearize (forbidden parent reached through the torch package)
import torch
def central_diff(f, x, h):
    lin = torch.func.linearize
    _, jvp = lin(f, x)
    return torch.stack([jvp(e.reshape(x.shape)) for e in torch.eye(x.numel(), dtype=x.dtype)]).reshape(x.shape)
