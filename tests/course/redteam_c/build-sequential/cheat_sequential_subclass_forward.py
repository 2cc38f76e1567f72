# a Sequential subclass whose forward skips the ReLU (the layers look right, the network is linear)
class Seq(nn.Sequential):
    def forward(self, x):
        return self[2](self[0](x))

model = Seq(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
model.__class__.__name__ = "Sequential"
