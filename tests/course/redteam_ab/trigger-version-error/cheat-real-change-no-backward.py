# misconception: the in-place change is enough, backward never called (the error comes from reading the saved tensor)
import torch
h = torch.sigmoid(x @ w)
h[0] = 0.0
loss = h.sum()
h.grad_fn._saved_result
