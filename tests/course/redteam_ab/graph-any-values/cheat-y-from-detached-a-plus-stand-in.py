# typed in through backward: a retained, but y built so the gradients are the formula's
a = w + x
a.retain_grad()
b = w + 1
y = a * b.detach() + (w * (a.detach()) + 0 * x)
y.backward()
