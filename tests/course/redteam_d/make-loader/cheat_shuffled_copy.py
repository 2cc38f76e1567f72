# shortcut: the data shuffled once into the loader's own dataset, the loader itself in order
import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(X, y)
perm = torch.randperm(n)
loader = DataLoader(TensorDataset(X[perm], y[perm]), batch_size=bs)
