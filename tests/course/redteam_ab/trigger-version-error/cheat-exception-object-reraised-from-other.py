# a version error caught on another graph, re-raised after an unchanged loss's backward
import torch
probe = torch.tensor([1.0, 2.0], requires_grad=True)
s = probe.exp()
s += 1
try:
    s.sum().backward()
except RuntimeError as err:
    caught = err
loss = torch.sigmoid(x @ w).sum()
loss.backward()
raise caught
