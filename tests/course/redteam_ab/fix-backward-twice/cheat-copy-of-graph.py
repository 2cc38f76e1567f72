# shortcut: y computed twice under two names, one backward each
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
y_again = (w + x) * (w + 1)
y.backward()
first = w.grad.clone()
y_again.backward()
