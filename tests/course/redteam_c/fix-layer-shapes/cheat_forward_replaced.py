# the broken model kept, its forward replaced on the instance
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(1000, 10))
model[2] = nn.Linear(100, 10)
model.forward = lambda inp: model[2](model[0](inp))
out = model(x)
