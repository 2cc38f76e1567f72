# typed in: the chain rule with torch.ops.aten calls (which the trace does not see)
import torch
aten = torch.ops.aten
torch.autograd.grad(loss, b, retain_graph=True)
hd = aten.detach(h)
gh = aten.div(aten.mul(hd, 2), hd.numel())
gw = aten.mul(aten.mul(gh, aten.rsub(aten.pow(hd, 2), 1)), x)
