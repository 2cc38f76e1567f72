# shortcut: one permutation drawn once and given as the sampler (the same order on every pass)
import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(X, y)
loader = DataLoader(dataset, batch_size=bs, sampler=torch.randperm(n).tolist())
