# the steps built in NumPy, f called on tensors made from them
import numpy as np
import torch
def central_diff(f, x, h):
    base = x.detach().numpy()
    out = np.zeros(base.size)
    for i in range(base.size):
        step = np.zeros(base.size)
        step[i] = h
        up = f(torch.from_numpy(base + step.reshape(base.shape)))
        down = f(torch.from_numpy(base - step.reshape(base.shape)))
        out[i] = (float(up) - float(down)) / (2 * h)
    return torch.from_numpy(out.reshape(base.shape)).to(x.dtype)
