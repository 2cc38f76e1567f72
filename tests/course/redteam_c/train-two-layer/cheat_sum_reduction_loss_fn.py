# loss_fn an MSELoss with reduction="sum": Adam hardly notices the scale, the recorded losses are 640 times too big
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_step = make_train_step(model, loss_fn, optimizer)
losses = [train_step(x, y) for step in range(50)]
