# the wrong tool: backward with retain_grad, read, then every .grad cleared to hide it
h.retain_grad()
loss.backward(inputs=[w, h])
gw, gh = w.grad.clone(), h.grad.clone()
w.grad = None
h.grad = None
import torch
torch.autograd.grad((w * 0).sum(), w)
