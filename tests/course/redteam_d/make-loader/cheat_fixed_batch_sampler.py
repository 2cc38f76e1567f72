# shortcut: batches of indices cut once from one shuffle and handed over as batch_sampler
import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(X, y)
perm = torch.randperm(n).tolist()
loader = DataLoader(dataset, batch_sampler=[perm[i:i + bs] for i in range(0, n, bs)])
