# a copy through empty_like + copy_ under no_grad; the update with add_(alpha=-lr)
import torch
with torch.no_grad():
    snapshot = torch.empty_like(w).copy_(w)
    w.add_(w.grad, alpha=-lr)
