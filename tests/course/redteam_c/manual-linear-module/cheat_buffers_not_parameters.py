# misconception: a and b as buffers (in the state_dict, but never trained)
class ManualLinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("a", torch.randn(1, requires_grad=True))
        self.register_buffer("b", torch.randn(1, requires_grad=True))

    def forward(self, x):
        return self.a + self.b * x

model = ManualLinearRegression()
