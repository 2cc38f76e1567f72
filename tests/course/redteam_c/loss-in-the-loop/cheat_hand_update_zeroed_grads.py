# the update written by hand; the optimizer steps on zeroed gradients (updates counted, nothing moves)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
for epoch in range(n_epochs):
    loss = loss_fn(a + b * x_train, y_train.view(-1, 1))
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        for p in (a, b):
            p -= lr * p.grad
            p.grad.zero_()
    optimizer.step()
    optimizer.zero_grad()
