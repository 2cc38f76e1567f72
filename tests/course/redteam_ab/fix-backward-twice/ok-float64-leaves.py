# float64 leaves and torch.mul/torch.add
import torch
w = torch.tensor(w0, dtype=torch.double, requires_grad=True)
x = torch.tensor(x0, dtype=torch.double, requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
y.backward(retain_graph=True)
first = w.grad.clone()
y.backward()
