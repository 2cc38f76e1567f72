# the backward pass inline, the new weights computed into temporaries and swapped in together
losses = []
for step in range(200):
    z = x @ w1
    a = z.clamp_min(0)
    e = a @ w2 - y
    losses.append(e.pow(2).sum().item())
    de = 2 * e
    new_w2 = w2 - learning_rate * (a.t() @ de)
    new_w1 = w1 - learning_rate * (x.t() @ ((de @ w2.t()) * (z > 0)))
    w1, w2 = new_w1, new_w2
