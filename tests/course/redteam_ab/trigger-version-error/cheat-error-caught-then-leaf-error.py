# a different RuntimeError: the leaf changed in place outside no_grad
import torch
loss = (x @ w).exp().sum()
w.add_(1)
