# the wrong tool: a hook writes the gradient of the converted copy into the new leaf
import torch
w32 = torch.tensor(w0, requires_grad=True)
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
c = w32.double()
def give(g):
    w.grad = g.clone()
c.register_hook(give)
loss = ((x @ c - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    w -= lr * w.grad
