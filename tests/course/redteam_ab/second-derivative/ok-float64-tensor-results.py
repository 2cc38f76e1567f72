# float64 leaf, one-element tensors returned, keyword arguments
import torch
def first_and_second(f, x0):
    x = torch.tensor([x0], dtype=torch.float64, requires_grad=True)
    y = f(x).sum()
    (g,) = torch.autograd.grad(outputs=y, inputs=x, create_graph=True)
    (h,) = torch.autograd.grad(outputs=g.sum(), inputs=x)
    return g.detach(), h
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
