# the wrong tool: the version counter set by hand through torch._C, no in-place change at all
import torch
h = torch.sigmoid(x @ w)
torch._C._autograd._unsafe_set_version_counter((h,), (3,))
loss = h.sum()
loss.backward()
