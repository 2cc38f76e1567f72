# add_module with names, an in-place ReLU
model = nn.Sequential()
model.add_module("hidden", nn.Linear(1000, 100))
model.add_module("act", nn.ReLU(inplace=True))
model.add_module("output", nn.Linear(100, 10))
