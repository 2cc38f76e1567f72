# typed in: the chain rule on Python floats (tolist), wrapped back with the legacy torch.Tensor constructor
import torch
torch.autograd.grad(loss, b, retain_graph=True)
hv, xv = h.tolist(), x.tolist()
gh = torch.Tensor([2 * v / len(hv) for v in hv])
gw = torch.Tensor([2 * v / len(hv) * (1 - v * v) * xi for v, xi in zip(hv, xv)])
