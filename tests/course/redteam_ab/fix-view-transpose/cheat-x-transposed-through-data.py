# shortcut: x's values rewritten in transposed order through .data, then viewed
import torch
flat = x.t().contiguous().view(-1)
x.data = x.t().contiguous()
