# relu keeps its output; clamp_ changes it in place; the error caught and printed
import torch
h = torch.relu(x @ w)
h.clamp_(max=1.0)
loss = (h * 2).sum()
try:
    loss.backward()
except RuntimeError as err:
    print("version error:", "inplace" in str(err))
