# copy.deepcopy of the detached tensor; the update with torch.sub(out=)
import copy
import torch
snapshot = copy.deepcopy(w.detach())
with torch.no_grad():
    torch.sub(w, lr * w.grad, out=w)
