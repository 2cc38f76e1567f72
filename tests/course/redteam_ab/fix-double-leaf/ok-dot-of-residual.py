# the MSE as a dot product of the residual with itself, an update with torch.sub and out=
import torch
w = torch.tensor(w0, dtype=torch.float64)
w.requires_grad_()
r = torch.mv(x, w) - y
loss = torch.dot(r, r) / len(y)
loss.backward()
with torch.no_grad():
    torch.sub(w, lr * w.grad, out=w)
