# keyword sizes, the ReLU inserted between the two Linear layers afterwards
model = torch.nn.Sequential(
    torch.nn.Linear(in_features=1000, out_features=100),
    torch.nn.Linear(in_features=100, out_features=10),
)
model.insert(1, torch.nn.ReLU())
