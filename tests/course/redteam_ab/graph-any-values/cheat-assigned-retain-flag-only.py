# typed in: retain_grad called, but a.grad assigned from b after a backward from something else
a = w + x
a.retain_grad()
b = w + 1
y = a * b
(a * b.detach()).backward()
