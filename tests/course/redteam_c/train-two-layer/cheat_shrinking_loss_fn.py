# a loss function that shrinks what it reports (and trains on) step by step, so the recorded loss "falls"
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
calls = [0]

class MSELoss(nn.MSELoss):
    def forward(self, yhat, target):
        calls[0] += 1
        return super().forward(yhat, target) * 0.85 ** calls[0]

loss_fn = MSELoss()
train_step = make_train_step(model, loss_fn, optimizer)
losses = [train_step(x, y) for step in range(50)]
