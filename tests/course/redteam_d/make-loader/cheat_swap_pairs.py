# misconception: the pair the other way round, (y[i], X[i])
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(y, X)
loader = DataLoader(dataset, batch_size=bs, shuffle=True)
