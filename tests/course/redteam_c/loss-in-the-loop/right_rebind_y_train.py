# the target reshaped once, by rebinding y_train; reshape instead of view
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
y_train = y_train.reshape(80, 1)
losses = []
epoch = 0
while epoch < n_epochs:
    optimizer.zero_grad()
    loss = loss_fn(torch.add(a, torch.mul(b, x_train)), y_train)
    loss.backward()
    optimizer.step()
    losses.append(loss.detach().item())
    epoch += 1
