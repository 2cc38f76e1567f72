# setattr for the parameters, torch.addcmul in forward
class ManualLinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        for name in ("a", "b"):
            setattr(self, name, nn.Parameter(torch.randn(1)))

    def forward(self, x):
        return torch.addcmul(self.a, self.b, x)

model = ManualLinearRegression()
