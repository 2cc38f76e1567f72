# misconception: the gradients computed once from the starting weights and reused at every step
h = x.mm(w1)
h_relu = h.clamp(min=0)
g_pred = 2.0 * (h_relu.mm(w2) - y)
grad_w2 = h_relu.t().mm(g_pred)
grad_h = g_pred.mm(w2.t())
grad_h[h < 0] = 0
grad_w1 = x.t().mm(grad_h)
losses = []
for t in range(200):
    losses.append((x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum().item())
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
