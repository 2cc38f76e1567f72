# misconception: another activation (Sigmoid) where a ReLU is asked
model = nn.Sequential(nn.Linear(1000, 100), nn.Sigmoid(), nn.Linear(100, 10))
