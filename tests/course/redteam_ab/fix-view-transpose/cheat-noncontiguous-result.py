# misconception: a strided view read in the right order is good enough (not contiguous)
import torch
flat = torch.as_strided(x, (x.numel(),), (1,))
