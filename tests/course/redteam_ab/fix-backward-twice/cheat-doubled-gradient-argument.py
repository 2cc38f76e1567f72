# shortcut: one backward with gradient 2 does both passes' work, then a backward that adds nothing
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
y.backward(torch.tensor(2.0))
first = w.grad / 2
w.grad.mul_(1)
y2 = y
