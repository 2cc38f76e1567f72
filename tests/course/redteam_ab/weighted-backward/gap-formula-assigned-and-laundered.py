# typed in: v^T J by the chain rule of tanh(W x), assigned, then a backward from y with gradient 0
# gap: trace.grad_source says 'autograd' for a .grad the code assigned (or wrote through ._grad) once a later backward pass adds into it, e.g. with a zero gradient
import torch
y = f(x)
x.grad = (W.t() @ (v * (1 - y.detach() ** 2))).clone()
y.backward(torch.zeros_like(y))
