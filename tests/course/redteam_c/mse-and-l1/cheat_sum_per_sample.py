# misconception: divides by the number of samples only (N), not by every element (N * k)
mse = nn.MSELoss()(pred, target)
l1 = nn.L1Loss()(pred, target)
mse_by_hand = ((pred - target) ** 2).sum() / pred.shape[0]
