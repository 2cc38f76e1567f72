# parameters from literals, forward in two named steps
class ManualLinearRegression(nn.Module):
    def __init__(self) -> None:
        nn.Module.__init__(self)
        self.a = nn.Parameter(torch.tensor([0.0]))
        self.b = nn.Parameter(torch.tensor([1.0]), requires_grad=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        slope_part = self.b * x
        return slope_part + self.a

model = ManualLinearRegression()
