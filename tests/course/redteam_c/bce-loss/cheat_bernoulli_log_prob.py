# "by hand" through torch.distributions: Bernoulli's log_prob is the BCE
probs = torch.sigmoid(scores)
bce = nn.BCELoss()(probs, labels)
bce_by_hand = -torch.distributions.Bernoulli(logits=scores).log_prob(labels).mean()
