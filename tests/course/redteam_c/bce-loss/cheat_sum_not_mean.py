# misconception: the terms summed, not averaged
probs = torch.sigmoid(scores)
bce = nn.BCELoss(reduction="sum")(probs, labels)
bce_by_hand = -(labels * torch.log(probs) + (1 - labels) * torch.log(1 - probs)).sum()
