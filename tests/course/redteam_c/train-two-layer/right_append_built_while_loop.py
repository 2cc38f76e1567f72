# the model built with append, a while loop around the setup's train_step
model = nn.Sequential()
for layer in (nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10)):
    model.append(layer)
loss_fn = torch.nn.MSELoss(reduction="mean")
optimizer = torch.optim.Adam(params=model.parameters(), lr=0.001, betas=(0.9, 0.999))
step = make_train_step(model, loss_fn, optimizer)
losses = []
while len(losses) < 50:
    losses.append(step(x, y))
