# the wrong tool: retain_grad, then a second pass from h with the clipped gradient run through the autograd engine directly (unseen by the trace)
import torch
from torch.autograd.variable import Variable
h = torch.tanh(x @ w1)
loss = ((h @ w2 - y) ** 2).mean()
h.retain_grad()
h.register_hook(lambda g: None)
loss.backward(retain_graph=True)
seen = h.grad.clone()
w1.grad = None
Variable._execution_engine.run_backward((h,), (seen.clamp(-c, c),), False, False, (), True, True)
