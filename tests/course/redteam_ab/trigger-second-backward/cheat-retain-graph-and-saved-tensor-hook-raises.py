# raised by hand: saved-tensor hooks whose unpack raises the message once the first pass is done
import torch
done = []
def unpack(t):
    if done:
        raise RuntimeError("Trying to backward through the graph a second time")
    return t
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, unpack):
    y = w * x ** 2
y.backward(retain_graph=True)
first = w.grad.clone()
done.append(True)
y.backward()
