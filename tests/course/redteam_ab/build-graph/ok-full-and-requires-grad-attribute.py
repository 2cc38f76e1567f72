# torch.full leaves, requires_grad set as an attribute, y.backward(gradient=1)
import torch
w = torch.full((), w0)
w.requires_grad = True
x = torch.full((), x0, requires_grad=True)
a = torch.add(w, x)
b = w.add(1)
y = a.mul(b)
y.backward(gradient=torch.tensor(1.0))
print(w.grad, x.grad)
