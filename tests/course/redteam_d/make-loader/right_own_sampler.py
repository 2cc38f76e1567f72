# right: a Sampler class of one's own that draws a new permutation on every pass
import torch
from torch.utils.data import DataLoader, Sampler, TensorDataset


class Shuffled(Sampler):
    def __init__(self, size):
        self.size = size

    def __iter__(self):
        return iter(torch.randperm(self.size).tolist())

    def __len__(self):
        return self.size


dataset = TensorDataset(X, y)
loader = DataLoader(dataset, batch_size=bs, sampler=Shuffled(len(dataset)))
