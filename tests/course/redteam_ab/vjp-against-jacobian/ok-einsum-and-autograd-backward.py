# einsum for v^T J, torch.autograd.backward
import torch
import torch.autograd.functional
J = torch.autograd.functional.jacobian(f, x0)
via_jacobian = torch.einsum("i,ij->j", v, J)
x = x0.detach().clone()
x.requires_grad = True
torch.autograd.backward(f(x), v)
