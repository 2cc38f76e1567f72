# misconception: a copy through Python lists, in float64
import torch
flat = torch.tensor([v for row in x.t().tolist() for v in row], dtype=torch.float64)
