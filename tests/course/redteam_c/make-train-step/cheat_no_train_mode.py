# misconception: the model left in eval mode (train() forgotten)
def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()
    return train_step

train_step = make_train_step(model, loss_fn, optimizer)
