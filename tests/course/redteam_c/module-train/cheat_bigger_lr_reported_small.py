# trains with a learning rate three times too big, and writes lr back into the optimizer after
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=3 * lr)
for epoch in range(n_epochs):
    loss = loss_fn(model(x_train), y_train)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
optimizer.param_groups[0]["lr"] = lr
