# misconception: contiguous() copies (it returns the same tensor when already contiguous)
import torch
snapshot = w.detach().contiguous()
with torch.no_grad():
    w -= lr * w.grad
