# the formula through softplus (log(1 + e^s)), the module on the logits
import torch.nn.functional as F
probs = 1 / (1 + torch.exp(-scores))
bce = nn.BCEWithLogitsLoss(reduction="mean")(scores, labels)
bce_by_hand = (labels * F.softplus(-scores) + (1 - labels) * F.softplus(scores)).mean()
