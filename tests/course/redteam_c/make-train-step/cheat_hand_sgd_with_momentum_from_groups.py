# the update by hand from the optimizer's settings (SGD with momentum reimplemented), the optimizer never steps
def make_train_step(model, loss_fn, optimizer):
    bufs = {}
    def train_step(x, y):
        model.train()
        loss = loss_fn(model(x), y)
        loss.backward()
        g = optimizer.param_groups[0]
        with torch.no_grad():
            for p in model.parameters():
                d = p.grad
                if g.get("momentum", 0):
                    bufs[p] = d.clone() if p not in bufs else bufs[p] * g["momentum"] + d
                    d = bufs[p]
                p -= g["lr"] * d
                p.grad = None
        return loss.item()
    return train_step

train_step = make_train_step(model, loss_fn, optimizer)
