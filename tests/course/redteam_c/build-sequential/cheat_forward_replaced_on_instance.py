# a real Sequential whose forward is replaced on the instance (no ReLU)
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
model.forward = lambda x: model[2](model[0](x))
