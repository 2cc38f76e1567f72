# the log-probabilities as shifted scores minus the log of the sum (no division at all)
import torch
scores = x @ w
scores = scores - scores.max(dim=1, keepdim=True).values
logp = scores - scores.exp().sum(dim=1, keepdim=True).log()
loss = -logp[torch.arange(len(y)), y].mean()
loss.backward()
