# torch.distributions.Normal sampled per class, labels from torch.full
from torch.distributions import Normal

c0 = torch.full((2,), mean_value + bias)
c1 = torch.full((2,), bias - mean_value)
x0 = Normal(c0, torch.ones(2)).sample((sample_nums,))
x1 = Normal(c1, torch.ones(2)).sample((sample_nums,))
train_x = torch.cat([x0, x1])
train_y = torch.cat([torch.full((sample_nums,), 0.0), torch.full((sample_nums,), 1.0)])
