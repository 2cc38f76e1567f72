# copies of w.grad kept (clone), cleared with zero_() under torch.no_grad
import torch
history = []
for i in range(4):
    y = make_y()
    y.backward()
    history.append(w.grad.clone())
with torch.no_grad():
    w.grad.zero_()
zeroed = []
for i in range(4):
    y = make_y()
    y.backward()
    zeroed.append(w.grad.clone())
    w.grad.zero_()
