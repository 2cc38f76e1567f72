# right: a SubsetRandomSampler over every index instead of shuffle=True
from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset

dataset = TensorDataset(X, y)
loader = DataLoader(dataset, batch_size=bs, sampler=SubsetRandomSampler(range(len(dataset))))
