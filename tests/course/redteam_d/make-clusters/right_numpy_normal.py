# NumPy draws converted to float32 tensors, labels from repeat_interleave
import numpy as np

x0 = np.random.normal(mean_value + bias, 1.0, size=(sample_nums, 2))
x1 = np.random.normal(bias - mean_value, 1.0, size=(sample_nums, 2))
train_x = torch.from_numpy(np.concatenate([x0, x1])).float()
train_y = torch.tensor([0.0, 1.0]).repeat_interleave(sample_nums)
