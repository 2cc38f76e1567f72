# typed in: v^T J by the chain rule of tanh(W x), assigned, then a backward from y with gradient 0
import torch
y = f(x)
x.grad = (W.t() @ (v * (1 - y.detach() ** 2))).clone()
y.backward(torch.zeros_like(y))
