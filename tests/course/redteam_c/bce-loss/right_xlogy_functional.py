# xlogy terms, the functional BCE, the sum divided by the count
import torch.nn.functional as F
probs = scores.sigmoid()
bce = F.binary_cross_entropy(probs, labels)
terms = torch.special.xlogy(labels, probs) + torch.special.xlogy(1 - labels, 1 - probs)
bce_by_hand = -terms.sum() / labels.numel()
