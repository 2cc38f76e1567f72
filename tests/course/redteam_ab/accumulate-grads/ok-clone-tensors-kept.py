# copies of w.grad kept (clone), cleared with zero_() through torch.no_grad
import torch
history = []
for i in range(4):
    y = torch.mul(w + x, w + 1)
    y.backward()
    history.append(w.grad.clone())
with torch.no_grad():
    w.grad.zero_()
zeroed = []
for i in range(4):
    y = torch.mul(w + x, w + 1)
    y.backward()
    zeroed.append(w.grad.clone())
    w.grad.zero_()
