# the wrong tool: x ** steps as exp(steps * log x), times 1
import torch
x = torch.tensor(x0, requires_grad=True)
steps = 1
while x0 ** steps < limit:
    steps += 1
y = torch.exp(steps * torch.log(x)) * 1
y.backward()
