# misconception: the batch size is the number of batches (n // bs samples per batch)
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(X, y)
loader = DataLoader(dataset, batch_size=n // bs, shuffle=True)
