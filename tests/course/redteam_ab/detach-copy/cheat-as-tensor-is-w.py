# misconception: torch.as_tensor(w) is w itself (still in the graph, same memory)
import torch
snapshot = torch.as_tensor(w)
with torch.no_grad():
    w -= lr * w.grad
