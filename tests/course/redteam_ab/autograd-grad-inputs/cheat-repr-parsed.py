# typed in: h's values parsed from its printed form, the chain rule in Python, torch.tensor to wrap
import torch
torch.autograd.grad(loss, b, retain_graph=True)
hv = [float(s) for s in format(h.detach().clone()).split("[")[1].split("]")[0].split(",")]
gh = torch.tensor([2 * v / 5 for v in hv])
gw = gh * torch.tensor([1 - v * v for v in hv]) * x
