# a forward hook on the ReLU that undoes it
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
model[1].register_forward_hook(lambda m, args, out: args[0])
