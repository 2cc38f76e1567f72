# probabilities and labels as (6, 1) columns for the module
probs = torch.sigmoid(scores)
bce = nn.BCELoss()(probs.unsqueeze(1), labels.unsqueeze(1))
bce_by_hand = torch.mean(-labels * torch.log(probs) - (1 - labels) * torch.log(1 - probs))
