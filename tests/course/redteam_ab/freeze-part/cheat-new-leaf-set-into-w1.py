# shortcut: a no-grad copy of w1's values, and w1's own flag left on
import torch
frozen = w1.detach().clone()
h = x * frozen
y = (h * w2).sum()
y.backward()
