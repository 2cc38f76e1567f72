# updates by hand, the gradients zeroed before the optimizer's (now empty) step
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
for epoch in range(n_epochs):
    loss = loss_fn(model(x_train), y_train)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
            p.grad.zero_()
    optimizer.step()
