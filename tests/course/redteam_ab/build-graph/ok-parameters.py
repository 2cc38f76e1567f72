# nn.Parameter leaves, b = w + 1.0
import torch
w = torch.nn.Parameter(torch.tensor([w0]))
x = torch.nn.Parameter(torch.tensor([x0]))
a = w + x
b = w + 1.0
y = a * b
y.sum().backward()
