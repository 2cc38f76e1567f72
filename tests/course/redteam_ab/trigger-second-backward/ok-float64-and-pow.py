# float64 leaves, torch.pow, the error caught and its message printed
import torch
w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
y = w * torch.pow(x, 2)
y.backward()
first = w.grad.detach().clone()
try:
    y.backward()
except RuntimeError as e:
    print("as expected:", str(e).splitlines()[0])
