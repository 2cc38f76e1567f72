# the broken layer's weight replaced by a new Parameter of the right shape
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(1000, 10))
model[2].weight = nn.Parameter(torch.randn(10, 100) * 0.1)
model[2].in_features = 100
out = model(x)
