# misconception: sampling with replacement (some samples twice in a pass, others never)
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

dataset = TensorDataset(X, y)
loader = DataLoader(dataset, batch_size=bs, sampler=RandomSampler(dataset, replacement=True))
