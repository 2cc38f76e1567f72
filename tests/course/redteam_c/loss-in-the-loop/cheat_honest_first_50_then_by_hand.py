# the first 50 epochs honest (trace keeps only 50 backward roots), then trained on a by-hand loss with loss_fn called for show
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
for epoch in range(n_epochs):
    yhat = a + b * x_train
    loss = loss_fn(yhat, y_train.view(-1, 1))
    trained = loss if epoch < 60 else ((yhat.view(-1) - y_train) ** 2).mean()
    losses.append(trained.item())
    trained.backward()
    optimizer.step()
    optimizer.zero_grad()
