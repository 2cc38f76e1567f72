# shortcut: a freed saved tensor read by hand (the same message, no second backward)
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = w.grad.clone()
y.grad_fn._saved_other
