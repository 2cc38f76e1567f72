# the wrong tool: the nodes called by hand (MeanBackward, PowBackward, ...), plus a decoy autograd.grad
import torch
g_loss = torch.tensor(1.0)
(g_pow,) = (loss.grad_fn(g_loss),)
gh = loss.grad_fn.next_functions[0][0](g_pow)
gh = gh if isinstance(gh, torch.Tensor) else gh[0]
gw = gh * (1 - h.detach() ** 2) * x
torch.autograd.grad(loss, b)
