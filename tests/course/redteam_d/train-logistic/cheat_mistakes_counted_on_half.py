# misconception: accuracy measured on class 1 only (stops too early)
optimizer = torch.optim.SGD(linear.parameters(), lr=0.01, momentum=0.9)
losses = []
for it in range(1000):
    s = linear(train_x).view(-1)
    loss = nn.functional.binary_cross_entropy_with_logits(s, train_y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if int(((s[100:] >= 0).float() != train_y[100:]).sum()) <= 1:
        break
