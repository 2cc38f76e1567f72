# misconception: backward through both, then w1.grad thrown away and w1 frozen afterwards
h = x * w1
y = (h * w2).sum()
y.backward()
w1.grad = None
w1.requires_grad_(False)
h = h.detach()
