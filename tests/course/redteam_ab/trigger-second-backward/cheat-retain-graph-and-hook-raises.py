# raised by hand: retain_graph keeps the graph, and a hook on y raises the message on the second pass
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
passes = []
def second_time(g):
    passes.append(1)
    if len(passes) > 1:
        raise RuntimeError("Trying to backward through the graph a second time")
y.register_hook(second_time)
y.backward(retain_graph=True)
first = w.grad.clone()
y.backward()
