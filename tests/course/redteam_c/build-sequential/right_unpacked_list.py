# the layers in a list, unpacked into Sequential, sizes from variables
sizes = [1000, 100, 10]
layers = [nn.Linear(sizes[0], sizes[1]), nn.ReLU(), nn.Linear(sizes[1], sizes[2])]
model = nn.Sequential(*layers)
