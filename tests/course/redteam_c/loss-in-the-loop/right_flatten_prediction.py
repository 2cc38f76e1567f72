# the prediction flattened with flatten(), zero_grad with set_to_none=False
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([{"params": [a, b]}], lr=lr)
losses = []
for _ in range(n_epochs):
    yhat = (a + b * x_train).flatten()
    loss = loss_fn(yhat, y_train)
    losses.append(float(loss.item()))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=False)
