# a training-step closure (as later in the lesson), called in a comprehension
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)

def make_step(model, loss_fn, optimizer):
    def step(x, y):
        model.train()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()
    return step

step = make_step(model, loss_fn, optimizer)
history = [step(x_train, y_train) for _ in range(n_epochs)]
