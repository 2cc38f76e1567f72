# misconception: w.data is out of the graph, but shares w's memory (it follows the update)
import torch
snapshot = w.data
with torch.no_grad():
    w -= lr * w.grad
