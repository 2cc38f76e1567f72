# misconception: a list of pairs is a PyTorch dataset (DataLoader takes it, but it is no Dataset)
from torch.utils.data import DataLoader

dataset = list(zip(X, y))
loader = DataLoader(dataset, batch_size=bs, shuffle=True)
