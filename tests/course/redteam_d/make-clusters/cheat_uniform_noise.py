# shortcut: uniform noise scaled to standard deviation 1 instead of Gaussian clouds
import math
s = math.sqrt(12)
x0 = (torch.rand(sample_nums, 2) - 0.5) * s + mean_value + bias
x1 = (torch.rand(sample_nums, 2) - 0.5) * s - mean_value + bias
train_x = torch.cat((x0, x1), 0)
train_y = torch.cat((torch.zeros(sample_nums), torch.ones(sample_nums)), 0)
