# a "ReLU" of one's own that lets everything through
class ReLU(nn.Module):
    def forward(self, x):
        return x

model = nn.Sequential(nn.Linear(1000, 100), ReLU(), nn.Linear(100, 10))
