# "by hand" through cross_entropy of two logits (0 and the score)
import torch.nn.functional as F
probs = torch.sigmoid(scores)
bce = nn.BCEWithLogitsLoss()(scores, labels)
bce_by_hand = F.cross_entropy(torch.stack([torch.zeros_like(scores), scores], 1), labels.long())
