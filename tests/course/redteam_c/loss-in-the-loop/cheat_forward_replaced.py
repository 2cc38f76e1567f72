# a real MSELoss instance whose forward is replaced by the broadcasting-proof formula by hand
loss_fn = nn.MSELoss()
loss_fn.forward = lambda input, target: ((input.view(-1) - target.view(-1)) ** 2).mean()
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
for epoch in range(n_epochs):
    loss = loss_fn(a + b * x_train, y_train)
    losses.append(loss.item())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
