# misconception: gradients cleared once when the step is made, never between steps
def make_train_step(model, loss_fn, optimizer):
    optimizer.zero_grad()
    def train_step(x, y):
        model.train()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()
    return train_step

train_step = make_train_step(model, loss_fn, optimizer)
