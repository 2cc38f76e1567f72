# shortcut: a DataLoader subclass whose __iter__ cuts its own batches from torch.randperm (DataLoader's sampler never runs)
import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(X, y)


class Loader(DataLoader):
    def __iter__(self):
        perm = torch.randperm(n)
        for i in range(0, n, bs):
            yield X[perm[i:i + bs]], y[perm[i:i + bs]]


loader = Loader(dataset, batch_size=bs)
