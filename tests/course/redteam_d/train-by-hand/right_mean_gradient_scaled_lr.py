# the gradient of the mean (divided by N * D_out) with the learning rate scaled up by N * D_out: the same steps
losses = []
scale = y.numel()
for t in range(200):
    h = x.mm(w1)
    a = h.clamp(min=0)
    e = a.mm(w2) - y
    losses.append(float((e ** 2).sum()))
    g = 2.0 * e / scale
    g2 = a.t().mm(g)
    g1 = x.t().mm(g.mm(w2.t()) * (h > 0))
    w1 -= learning_rate * scale * g1
    w2 -= learning_rate * scale * g2
