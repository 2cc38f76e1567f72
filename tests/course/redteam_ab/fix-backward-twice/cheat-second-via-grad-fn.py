# the wrong tool: the second pass as a call of y.grad_fn by hand, results added into .grad
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
y.backward(retain_graph=True)
first = w.grad.clone()
ga, gb = y.grad_fn(torch.tensor(1.0))
w.grad += ga + gb
x.grad += ga
