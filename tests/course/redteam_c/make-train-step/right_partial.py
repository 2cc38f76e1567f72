# a module-level step function bound with functools.partial, zero_grad first
import functools

def _step(model, loss_fn, optimizer, x, y):
    model.train(True)
    optimizer.zero_grad(set_to_none=True)
    yhat = model(x)
    loss = loss_fn(yhat, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.detach().item()

def make_train_step(model, loss_fn, optimizer):
    return functools.partial(_step, model, loss_fn, optimizer)

train_step = make_train_step(model, loss_fn, optimizer)
