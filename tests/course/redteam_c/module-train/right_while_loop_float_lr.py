# a while loop, lr as a keyword, loss printed every 100 epochs
model = ManualLinearRegression()
loss_fn = torch.nn.MSELoss(reduction="mean")
optimizer = torch.optim.SGD(params=list(model.parameters()), lr=float(lr))
epoch = 0
while epoch < n_epochs:
    loss = loss_fn(model(x_train), y_train)
    if epoch % 100 == 0:
        print(epoch, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    epoch += 1
