# torch.autograd.backward on the loss, the target as y_train[:, None]
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
target = y_train[:, None]
losses = []
for epoch in range(n_epochs):
    loss = loss_fn(a + b * x_train, target)
    losses += [loss.item()]
    torch.autograd.backward(loss)
    optimizer.step()
    optimizer.zero_grad()
