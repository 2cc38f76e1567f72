# ** keeps its input; the input changed with an indexed assignment
import torch
z = x @ w
loss = (z ** 2).mean()
z[0] = 1.0
loss.backward()
