# typed in: w2's gradient assigned, no backward
w1.requires_grad_(False)
h = x * w1
y = (h * w2).sum()
w2.grad = h.detach().clone()
