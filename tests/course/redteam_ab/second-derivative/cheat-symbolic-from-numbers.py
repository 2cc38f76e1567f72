# the wrong tool: a polynomial fitted through samples of f, differentiated by hand
import numpy as np
import torch
def first_and_second(f, x0):
    t = torch.tensor(x0, requires_grad=True)
    torch.autograd.grad(f(t), t)
    torch.autograd.grad(f(t), t)
    xs = np.linspace(x0 - 0.05, x0 + 0.05, 9)
    ys = [float(f(torch.tensor(v, dtype=torch.float64))) for v in xs]
    p = np.polynomial.Polynomial.fit(xs, ys, 6)
    return float(p.deriv(1)(x0)), float(p.deriv(2)(x0))
dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)
