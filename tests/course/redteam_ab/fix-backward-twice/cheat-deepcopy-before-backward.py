# shortcut: the graph is not kept, a deep copy of the inputs' graph is rebuilt from y
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
spare = y * 1
y.backward()
first = w.grad.clone()
spare.backward()
