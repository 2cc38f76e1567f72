# shortcut: one cloud drawn, the other its copy moved to the second centre (the same noise twice)
noise = torch.randn(sample_nums, 2)
train_x = torch.cat((noise + mean_value + bias, noise - mean_value + bias), 0)
train_y = torch.cat((torch.zeros(sample_nums), torch.ones(sample_nums)), 0)
