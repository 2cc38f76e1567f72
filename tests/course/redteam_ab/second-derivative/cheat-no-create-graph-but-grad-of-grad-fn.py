# misconception: no create_graph, and the second call made on f(x) again (the first derivative twice)
import torch
def first_and_second(f, x0):
    x = torch.tensor(x0, requires_grad=True)
    d1, = torch.autograd.grad(f(x), x)
    d2, = torch.autograd.grad(f(x), x)
    return d1, d2
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
