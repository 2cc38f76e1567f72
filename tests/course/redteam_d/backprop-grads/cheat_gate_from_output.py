# misconception: the gate read from the output y_pred instead of h (the gradient stopped where a sample's output is negative)
def gradients(x, y, w1, w2):
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - y).pow(2).sum()
    g = 2 * (y_pred - y)
    gw2 = h_relu.t().mm(g)
    gh = g.mm(w2.t()) * (y_pred.sum(1, keepdim=True) > 0)
    return loss, x.t().mm(gh), gw2
