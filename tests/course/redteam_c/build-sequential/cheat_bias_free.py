# misconception: Linear layers without bias
model = nn.Sequential(nn.Linear(1000, 100, bias=False), nn.ReLU(), nn.Linear(100, 10, bias=False))
