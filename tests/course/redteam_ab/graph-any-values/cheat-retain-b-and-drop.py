# misconception: both retained, then b.grad set back to None (b still retains)
a = w + x
b = w + 1
a.retain_grad()
b.retain_grad()
y = a * b
y.backward()
b.grad = None
