# one empty tensor filled in place with normal_(), labels set by slices
train_x = torch.empty(2 * sample_nums, 2)
train_x[:sample_nums].normal_(mean_value + bias, 1.0)
train_x[sample_nums:].normal_(bias - mean_value, 1.0)
train_y = torch.zeros(2 * sample_nums)
train_y[sample_nums:] = 1
