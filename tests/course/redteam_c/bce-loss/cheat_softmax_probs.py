# misconception: softmax over the 6 scores as the probabilities
probs = torch.softmax(scores, dim=0)
bce = nn.BCELoss()(probs, labels)
bce_by_hand = -(labels * torch.log(probs) + (1 - labels) * torch.log(1 - probs)).mean()
