# shortcut: the gradient of BCE written by hand into .grad, backward never runs, SGD steps on it
optimizer = torch.optim.SGD(linear.parameters(), lr=0.01, momentum=0.9)
losses = []
for it in range(1000):
    with torch.no_grad():
        s = linear(train_x).view(-1)
        p = torch.sigmoid(s)
        losses.append(nn.functional.binary_cross_entropy(p, train_y).item())
        d = (p - train_y) / len(train_y)
        linear.weight.grad = (d @ train_x).view(1, 2)
        linear.bias.grad = d.sum().view(1)
    optimizer.step()
    if int(((linear(train_x).view(-1) >= 0).float() != train_y).sum()) <= 2:
        break
