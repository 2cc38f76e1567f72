# typed in: retain_grad after backward and the gradient assigned from b
a = w + x
b = w + 1
y = a * b
y.backward()
a.retain_grad()
a.grad = b.detach().clone()
