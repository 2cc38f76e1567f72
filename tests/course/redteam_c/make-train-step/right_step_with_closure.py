# optimizer.step(closure): the closure computes the loss and its gradients
def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        def closure():
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            return loss
        loss = optimizer.step(closure)
        optimizer.zero_grad()
        return float(loss)
    return train_step

train_step = make_train_step(model, loss_fn, optimizer)
