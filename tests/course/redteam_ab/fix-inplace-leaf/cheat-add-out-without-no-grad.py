# misconception: torch.add with out=w outside no_grad
import torch
torch.add(w, delta, out=w)
