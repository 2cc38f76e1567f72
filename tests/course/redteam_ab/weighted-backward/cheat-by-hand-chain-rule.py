# typed in: the chain rule of tanh(W x) by hand, fed through backward from a stand-in named y
import torch
pre = W @ x
y = torch.tanh(pre)
g = W.t() @ (v * (1 - y.detach() ** 2))
y = x * g
y.backward(torch.ones_like(y))
