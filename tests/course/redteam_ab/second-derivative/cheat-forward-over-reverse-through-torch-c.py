# the wrong tool: the second derivative by forward-mode AD over the first (torch._C / torch._VF dual numbers)
import torch
def first_and_second(f, x0):
    x = torch.tensor(x0, requires_grad=True)
    d1, = torch.autograd.grad(f(x), x)
    level = torch._C._enter_dual_level()
    try:
        xd = torch._VF._make_dual(torch.tensor(x0).requires_grad_(), torch.tensor(1.0), level=level)
        g, = torch.autograd.grad(f(xd), xd, create_graph=True)
        d2 = torch._VF._unpack_dual(g, level=level)[1]
    finally:
        torch._C._exit_dual_level(level=level)
    return d1, d2
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
