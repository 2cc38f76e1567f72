# raised by hand: loss.backward replaced by a function that raises the message
import torch
h = torch.sigmoid(x @ w)
h[0] = 0.0
loss = h.sum()
def fake(*a, **k):
    raise RuntimeError("one of the variables needed for gradient computation has been modified by an inplace operation")
loss.backward = fake
loss.backward()
