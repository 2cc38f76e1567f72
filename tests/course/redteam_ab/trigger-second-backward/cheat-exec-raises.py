# raised by hand, hidden in exec
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = w.grad.clone()
exec("raise RuntimeError('Trying to backward through the graph a second time')")
