# the two passes as a loop, keeping the graph on every pass but the last
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = (w + x) * (w + 1)
for k in range(2):
    y.backward(retain_graph=(k == 0))
    if k == 0:
        first = w.grad.clone()
print(first, w.grad)
