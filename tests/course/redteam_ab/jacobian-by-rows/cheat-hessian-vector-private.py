# the wrong tool: torch.autograd.functional reached through the autograd package's attribute
import torch.autograd as ag
def jacobian_rows(f, x):
    mod = ag.functional
    return mod.jacobian(f, x)
J = jacobian_rows(f, x0)
