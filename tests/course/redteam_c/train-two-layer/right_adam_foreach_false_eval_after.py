# Adam without foreach, losses appended after each step, the model switched to eval at the end
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=False)
losses = []
for _ in range(50):
    optimizer.zero_grad(set_to_none=False)
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
model.eval()
