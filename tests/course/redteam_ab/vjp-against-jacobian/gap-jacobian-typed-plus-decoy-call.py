# typed in: J written out by hand, jacobian called once on something else for the rule and the trace
# gap: require and the trace count calls, not whether their result was used: a decoy call satisfies them while the value comes from elsewhere
import torch
from torch.autograd.functional import jacobian
jacobian(lambda t: t * 2, torch.ones(1))
a, b, c = x0.tolist()
J = torch.tensor([[b, a, 0.0],
                  [float(torch.sin(torch.tensor(c))), 0.0, a * float(torch.cos(torch.tensor(c)))],
                  [2 * a, 2 * b, 2 * c]])
via_jacobian = J.T @ v
x = x0.clone().requires_grad_()
f(x).backward(gradient=v)
