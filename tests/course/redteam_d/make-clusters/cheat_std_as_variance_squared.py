# misconception: std read as a variance of 1 per class pair (noise of standard deviation sqrt(2))
n_data = torch.ones(sample_nums, 2)
x0 = torch.normal(mean_value * n_data, 2 ** 0.5) + bias
x1 = torch.normal(-mean_value * n_data, 2 ** 0.5) + bias
train_x = torch.cat((x0, x1), 0)
train_y = torch.cat((torch.zeros(sample_nums), torch.ones(sample_nums)), 0)
