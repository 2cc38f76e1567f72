# raised by hand: retain_graph keeps the graph, and a custom Function's backward raises the message on its second call
import torch
class Once(torch.autograd.Function):
    calls = 0
    @staticmethod
    def forward(ctx, t):
        return t.clone()
    @staticmethod
    def backward(ctx, g):
        Once.calls += 1
        if Once.calls > 1:
            raise RuntimeError("Trying to backward through the graph a second time")
        return g
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * Once.apply(x) ** 2
y.backward(retain_graph=True)
first = w.grad.clone()
y.backward()
