# the error from another graph; loss itself has nothing changed
import torch
loss = (x @ w).exp().sum()
other = torch.sigmoid(w * 2)
other += 1
other.sum().backward()
