# shortcut: every leaf tensor alive that requires grad (the garbage collector's list)
import gc as g
import torch
def leaves_of(t):
    return [o for o in g.get_objects() if isinstance(o, torch.Tensor) and o.is_leaf and o.requires_grad]
