# misconception: only h asked for, w.grad read as a leftover
import torch
gh, = torch.autograd.grad(loss, h, retain_graph=True)
loss.backward()
gw = w.grad.clone()
w.grad = None
b.grad = None
