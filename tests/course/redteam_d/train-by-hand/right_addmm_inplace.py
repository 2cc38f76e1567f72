# updates with addmm_ (w += -lr * a^T b in one call), the gate with masked_fill
losses = []
for t in range(200):
    h = x.mm(w1)
    r = h.clamp(min=0)
    err = r.mm(w2) - y
    losses.append(float(err.pow(2).sum()))
    d = err.mul(2)
    dh = d.mm(w2.t()).masked_fill(h <= 0, 0.0)
    w2.addmm_(r.t(), d, alpha=-learning_rate)
    w1.addmm_(x.t(), dh, alpha=-learning_rate)
