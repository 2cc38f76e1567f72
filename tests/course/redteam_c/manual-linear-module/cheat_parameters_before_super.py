# misconception: parameters assigned before super().__init__()
class ManualLinearRegression(nn.Module):
    def __init__(self):
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))
        super().__init__()

    def forward(self, x):
        return self.a + self.b * x

model = ManualLinearRegression()
