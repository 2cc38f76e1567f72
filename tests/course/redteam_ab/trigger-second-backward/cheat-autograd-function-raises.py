# raised by hand inside a custom Function's backward, after a real first pass
import torch
class Boom(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        return t.clone()
    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("Trying to backward through the graph a second time")
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward(retain_graph=True)
first = w.grad.clone()
y = Boom.apply(y)
y.backward()
