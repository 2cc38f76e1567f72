# the optimizer over named_parameters' values, prediction through nn.Module.__call__, zero_grad first
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([p for _, p in model.named_parameters()], lr=lr)
for epoch in range(n_epochs):
    optimizer.zero_grad()
    yhat = nn.Module.__call__(model, x_train)
    loss = loss_fn(yhat, y_train)
    loss.backward()
    optimizer.step()
