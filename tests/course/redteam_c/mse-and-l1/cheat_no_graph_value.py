# the right number as a fresh leaf: no graph back to pred
mse = nn.MSELoss()(pred, target)
l1 = nn.L1Loss()(pred, target)
mse_by_hand = ((pred - target) ** 2).mean().detach().requires_grad_()
