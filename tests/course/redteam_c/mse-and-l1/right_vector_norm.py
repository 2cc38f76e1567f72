# the sum of squares as a squared vector norm, divided by the element count
mse = nn.MSELoss()(pred, target)
l1 = nn.L1Loss()(pred, target)
mse_by_hand = torch.linalg.vector_norm(pred - target) ** 2 / pred.numel()
