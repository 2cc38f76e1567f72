# nn.Module's machinery bypassed: _call_impl overridden, forward left as a wrong stub
class ManualLinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return x

    def _call_impl(self, x):
        return self.a + self.b * x

model = ManualLinearRegression()
