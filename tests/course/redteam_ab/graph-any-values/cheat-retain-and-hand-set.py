# typed in: retain_grad before, backward from y, then a.grad overwritten in place with b
a = w + x
a.retain_grad()
b = w + 1
y = a * b
y.backward()
a.grad.copy_(b.detach())
