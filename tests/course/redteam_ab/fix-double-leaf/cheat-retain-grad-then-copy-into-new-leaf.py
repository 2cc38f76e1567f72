# shortcut: the starter's non-leaf kept, its gradient retained, then a new leaf made afterwards with the updated values
import torch
c = torch.tensor(w0, requires_grad=True).double()
c.retain_grad()
loss = ((x @ c - y) ** 2).mean()
loss.backward()
w = (c - lr * c.grad).detach().requires_grad_()
w.grad = c.grad
