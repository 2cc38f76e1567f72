# the wrong tool: the second pass from h through torch.autograd.graph's engine helper (unseen by the trace)
import torch
from torch.autograd.graph import _engine_run_backward
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
h.retain_grad()
h.register_hook(lambda g: None)
loss.backward(retain_graph=True)
seen = h.grad.clone()
w1.grad = None
_engine_run_backward((h,), (seen.clamp(-c, c),), False, False, (), True, True)
