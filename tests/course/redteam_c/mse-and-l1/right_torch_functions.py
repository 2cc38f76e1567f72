# torch.* functions instead of operators, keyword arguments to the modules
mse = nn.MSELoss(reduction="mean")(input=pred, target=target)
l1 = nn.L1Loss(reduction="mean")(input=pred, target=target)
mse_by_hand = torch.mean(torch.square(torch.sub(pred, target)))
