# loss_fn and the optimizer before the loop's helper, every 10th loss printed
loss_fn = nn.MSELoss()
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_step = make_train_step(model, loss_fn, optimizer)
losses = []
for step in range(50):
    losses.append(train_step(x, y))
    if step % 10 == 0:
        print(step, round(losses[-1], 4))
