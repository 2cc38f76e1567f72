# out computed without gradients (inference), layers built from a sizes list
sizes = [1000, 100, 10]
model = nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.ReLU(), nn.Linear(sizes[1], sizes[2]))
with torch.no_grad():
    out = model(x)
