# raised by hand, but the exception object is a torch error caught earlier elsewhere
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
probe = torch.tensor(1.0, requires_grad=True) * 2
probe.backward()
try:
    probe.backward()
except RuntimeError as err:
    kept = err
y = w * x ** 2
y.backward()
first = w.grad.clone()
raise kept
