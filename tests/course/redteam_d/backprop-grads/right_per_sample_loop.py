# one sample at a time: outer products summed over the batch
def gradients(x, y, w1, w2):
    g1 = torch.zeros_like(w1)
    g2 = torch.zeros_like(w2)
    loss = 0.0
    for xi, yi in zip(x, y):
        h = xi @ w1
        a = h.clamp(min=0)
        e = a @ w2 - yi
        loss += float((e ** 2).sum())
        de = 2 * e
        g2 += torch.outer(a, de)
        dh = (w2 @ de) * (h > 0)
        g1 += torch.outer(xi, dh)
    return loss, g1, g2
