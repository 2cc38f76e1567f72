# b * a with x + w and 1 + w, retain_grad right after a is made
a = x + w
a.retain_grad()
b = 1 + w
y = torch.mul(b, a)
y.backward()
