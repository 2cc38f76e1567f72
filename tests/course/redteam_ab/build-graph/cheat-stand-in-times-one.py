# typed in through backward: y rebound to a stand-in with the hand-made gradients, ending in a multiplication
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = (w * (2 * w0 + x0 + 1) + x * (w0 + 1)) * 1
y.backward()
