# inference_mode (stricter than no_grad): an in-place change of a normal tensor is allowed there
import torch
with torch.inference_mode():
    w += delta
