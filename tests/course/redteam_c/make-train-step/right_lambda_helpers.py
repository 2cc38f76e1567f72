# the loss as a helper, autograd.backward, the float from tolist()
def make_train_step(model, loss_fn, optimizer):
    compute = lambda x, y: loss_fn(model(x), y)
    def train_step(x, y):
        model.train()
        loss = compute(x, y)
        torch.autograd.backward([loss])
        optimizer.step()
        for p in model.parameters():
            p.grad = None
        return loss.tolist()
    return train_step

train_step = make_train_step(model, loss_fn, optimizer)
