# the wrong tool: torch._C reached through getattr with a built name
import torch
h = torch.sigmoid(x @ w)
c = getattr(torch, "_" + "C")
c._autograd._unsafe_set_version_counter((h,), (3,))
loss = h.sum()
loss.backward()
