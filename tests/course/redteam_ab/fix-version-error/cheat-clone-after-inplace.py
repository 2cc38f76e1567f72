# misconception: clone after the in-place division (the kept tensor was already changed)
import torch
scores = x @ w
scores -= scores.max(dim=1, keepdim=True).values
p = scores.exp()
p /= p.sum(dim=1, keepdim=True)
p = p.clone()
loss = -p[torch.arange(len(y)), y].log().mean()
loss.backward()
