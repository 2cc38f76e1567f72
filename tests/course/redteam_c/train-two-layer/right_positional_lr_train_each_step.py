# the learning rate given positionally, model.train() at every step, loss recorded with float()
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), 1e-3)
losses = []
for _ in range(50):
    model.train()
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(float(loss))
