# shortcut: a brand-new leaf with the right values
import torch
w = torch.tensor((w + delta).tolist(), requires_grad=True)
