# dodged: a float32 leaf, its gradient and values converted to float64 afterwards
import torch
w32 = torch.tensor(w0, requires_grad=True)
loss = ((x @ w32.double() - y) ** 2).mean()
loss.backward()
w = (w32.detach().double() - lr * w32.grad.double()).requires_grad_()
w.grad = w32.grad.double()
