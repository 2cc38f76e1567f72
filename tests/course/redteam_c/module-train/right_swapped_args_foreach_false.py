# the target first in the loss (MSE is symmetric), SGD without foreach, zero_grad(set_to_none=False), train() each epoch
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr, foreach=False)
for epoch in range(n_epochs):
    model.train()
    loss = loss_fn(y_train, model(x_train))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=False)
