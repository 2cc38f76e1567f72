# raised by hand: torch._check_with makes torch raise the message
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = w.grad.clone()
torch._check_with(RuntimeError, False, lambda: "Trying to backward through the graph a second time")
