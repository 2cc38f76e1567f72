# the wrong tool: backward(create_graph) twice on two fresh leaves (no autograd.grad), then decoy calls
import torch
def first_and_second(f, x0):
    x = torch.tensor(x0, requires_grad=True)
    f(x).backward(create_graph=True)
    d1 = x.grad.clone()
    x.grad = None
    d1.backward()
    d2 = x.grad
    torch.autograd.grad(f(x), x)
    torch.autograd.grad(f(x), x)
    return d1.detach(), d2
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
