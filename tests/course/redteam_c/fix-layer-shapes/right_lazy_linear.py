# the sizes found by LazyLinear on the first batch
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.LazyLinear(10))
out = model(x)
