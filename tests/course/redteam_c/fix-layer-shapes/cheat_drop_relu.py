# the ReLU dropped along with the fix
model = nn.Sequential(nn.Linear(1000, 100), nn.Identity(), nn.Linear(100, 10))
out = model(x)
