# out is the model's output on another input (the first row repeated)
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
out = model(x[:1].expand(8, 1000))
