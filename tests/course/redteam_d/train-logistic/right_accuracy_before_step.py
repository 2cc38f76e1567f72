# the mistakes counted on the scores before the step, then break after stepping, functional BCE on probabilities
opt = torch.optim.SGD(params=[linear.weight, linear.bias], lr=0.01, momentum=0.9)
losses = []
for it in range(1000):
    p = torch.sigmoid(linear(train_x)).view(-1)
    done = (p.round() != train_y).sum().item() <= 2
    loss = nn.functional.binary_cross_entropy(p, train_y)
    loss.backward()
    opt.step()
    opt.zero_grad()
    losses.append(loss.item())
    if done:
        break
