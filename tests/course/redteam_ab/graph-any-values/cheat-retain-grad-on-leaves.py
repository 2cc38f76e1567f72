# misconception: retain_grad on the leaves w and x instead of on a
a = w + x
b = w + 1
w.retain_grad()
x.retain_grad()
y = a * b
y.backward()
