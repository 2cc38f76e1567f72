# torch.set_grad_enabled(False) as a context manager, torch.add with out=
import torch
with torch.set_grad_enabled(False):
    torch.add(w, delta, out=w)
