# the residual's squared norm with einsum, float64 leaf via torch.zeros + copy_ under no_grad
import torch
w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
with torch.no_grad():
    w.copy_(torch.tensor(w0, dtype=torch.float64))
r = torch.einsum("ij,j->i", x, w) - y
loss = torch.einsum("i,i->", r, r) / r.shape[0]
loss.backward()
with torch.no_grad():
    w -= lr * w.grad
