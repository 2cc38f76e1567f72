# a twin network trained 300 steps with a big lr; its weights copied in, then 50 steps on the model
twin = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
opt2 = torch.optim.SGD(twin.parameters(), lr=0.05)
for _ in range(300):
    torch.nn.functional.mse_loss(twin(x), y).backward()
    opt2.step()
    opt2.zero_grad()
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
model.load_state_dict(twin.state_dict())
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
losses = [3.0] + [make_train_step(model, loss_fn, optimizer)(x, y) for step in range(49)]
optimizer.step()
