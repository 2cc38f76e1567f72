# forward returns a placeholder; a forward hook registered in __init__ computes the answer
class ManualLinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))
        self.register_forward_hook(lambda m, args, out: m.a + m.b * args[0])

    def forward(self, x):
        return torch.zeros_like(x)

model = ManualLinearRegression()
