# the wrong tool: forward-mode AD through torch.autograd.forward_ad
import torch
import torch.autograd.forward_ad as fw
def central_diff(f, x, h):
    out = torch.zeros_like(x)
    for i in range(x.numel()):
        e = torch.zeros_like(x)
        e.view(-1)[i] = 1
        with fw.dual_level():
            out.view(-1)[i] = fw.unpack_dual(f(fw.make_dual(x, e))).tangent
    return out
