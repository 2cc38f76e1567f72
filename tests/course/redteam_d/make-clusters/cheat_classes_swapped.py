# misconception: the centres of the classes swapped (class 0 around -mean_value)
n_data = torch.ones(sample_nums, 2)
x0 = torch.normal(-mean_value * n_data, 1) + bias
x1 = torch.normal(mean_value * n_data, 1) + bias
train_x = torch.cat((x0, x1), 0)
train_y = torch.cat((torch.zeros(sample_nums), torch.ones(sample_nums)), 0)
