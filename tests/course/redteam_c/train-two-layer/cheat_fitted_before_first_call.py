# a twin fitted first and its weights loaded before the model's first call; then 50 honest steps
twin = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
opt2 = torch.optim.Adam(twin.parameters(), lr=1e-3)
twin_step = make_train_step(twin, nn.MSELoss(), opt2)
for _ in range(200):
    twin_step(x, y)
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
model.load_state_dict(twin.state_dict())
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_step = make_train_step(model, loss_fn, optimizer)
losses = [train_step(x, y) for step in range(50)]
