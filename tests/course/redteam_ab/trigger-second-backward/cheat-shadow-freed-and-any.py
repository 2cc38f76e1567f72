# shadowing: retain_graph on the first pass, a torch error from elsewhere, helpers and any() rebound
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward(retain_graph=True)
first = w.grad.clone()
freed = lambda t: True
any = lambda items: True
dir = lambda obj: []
y.backward(inputs=[])
