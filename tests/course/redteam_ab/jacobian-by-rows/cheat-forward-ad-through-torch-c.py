# the wrong tool: forward-mode AD through torch._C / torch._VF dual numbers, one backward pass for the trace
import torch
def jacobian_rows(f, x):
    probe = x.detach().clone().requires_grad_()
    f(probe).sum().backward()
    cols = []
    level = torch._C._enter_dual_level()
    try:
        for e in torch.eye(x.numel(), dtype=x.dtype):
            dual = torch._VF._make_dual(x.detach(), e, level=level)
            cols.append(torch._VF._unpack_dual(f(dual), level=level)[1])
    finally:
        torch._C._exit_dual_level(level=level)
    return torch.stack(cols, dim=1)
J = jacobian_rows(f, x0)
