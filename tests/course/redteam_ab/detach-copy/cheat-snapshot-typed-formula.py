# shortcut: the snapshot computed after the update from the new values (w + lr * grad)
import torch
with torch.no_grad():
    w -= lr * w.grad
snapshot = (w + lr * w.grad).detach()
