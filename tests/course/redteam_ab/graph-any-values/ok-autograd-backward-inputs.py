# torch.autograd.backward with inputs= listing the leaves and a (a kept anyway by retain_grad)
import torch
a = w + x
b = w + 1
y = a * b
a.retain_grad()
torch.autograd.backward(y, inputs=[w, x, a])
