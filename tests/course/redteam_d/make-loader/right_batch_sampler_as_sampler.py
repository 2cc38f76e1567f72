# right: a BatchSampler as the sampler, automatic batching off (the dataset is indexed by lists)
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset

dataset = TensorDataset(X, y)
loader = DataLoader(dataset, sampler=BatchSampler(RandomSampler(dataset), batch_size=bs, drop_last=False),
                    batch_size=None)
