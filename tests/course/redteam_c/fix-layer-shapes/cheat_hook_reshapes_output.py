# the broken layer kept; a forward pre-hook slices its input to the 1000 features it wants
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(1000, 10))
model[2].register_forward_pre_hook(lambda m, args: (torch.nn.functional.pad(args[0], (0, 900)),))
out = model(x)
