# retain_graph=True on the first pass only, with a comment and a print in between
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
y.backward(retain_graph=True)  # keep the saved tensors for the second pass
first = w.grad.clone()
print("after one pass:", first.item())
y.backward()
