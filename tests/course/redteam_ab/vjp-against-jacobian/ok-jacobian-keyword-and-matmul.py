# jacobian(func=..., inputs=...), torch.matmul(v, J), x via torch.tensor(x0.tolist(), requires_grad=True)
import torch
from torch.autograd import functional
J = functional.jacobian(func=f, inputs=x0)
via_jacobian = torch.matmul(v, J)
x = torch.tensor(x0.tolist(), requires_grad=True)
y = f(x)
y.backward(v)
print(via_jacobian, x.grad)
