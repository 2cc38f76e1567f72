# prediction and target flattened before the modules; the by-hand mean over the flat vector
flat_pred, flat_target = pred.reshape(-1), target.view(-1)
mse = nn.MSELoss()(flat_pred, flat_target)
l1 = nn.L1Loss()(flat_pred, flat_target)
mse_by_hand = ((flat_pred - flat_target) ** 2).sum() / flat_pred.shape[0]
