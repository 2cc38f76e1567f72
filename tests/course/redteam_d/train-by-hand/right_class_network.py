# a small class holding the weights, with forward and backward methods
class Net:
    def __init__(self, w1, w2):
        self.w1, self.w2 = w1, w2

    def forward(self, x):
        self.x = x
        self.h = x.mm(self.w1)
        self.a = torch.relu(self.h)
        return self.a.mm(self.w2)

    def backward(self, d_out):
        d_w2 = self.a.t().mm(d_out)
        d_h = d_out.mm(self.w2.t()) * (self.h > 0).float()
        return self.x.t().mm(d_h), d_w2

net = Net(w1, w2)
losses = []
for t in range(200):
    out = net.forward(x)
    losses.append((out - y).pow(2).sum().item())
    g1, g2 = net.backward(2 * (out - y))
    net.w1.sub_(learning_rate * g1)
    net.w2.sub_(learning_rate * g2)
