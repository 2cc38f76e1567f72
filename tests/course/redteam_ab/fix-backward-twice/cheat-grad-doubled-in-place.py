# typed in: one backward, then .grad doubled in place
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
y.backward()
first = w.grad.clone()
w.grad *= 2
x.grad *= 2
