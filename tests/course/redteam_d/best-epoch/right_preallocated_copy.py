# a preallocated snapshot filled with copy_ each time the loss improves, copied back parameter by parameter
best = {name: torch.empty_like(p) for name, p in model.named_parameters()}
best_loss = float("inf")
epoch = 0
while epoch < n_epochs:
    train_one_epoch(model, optimizer)
    current = validation_loss(model)
    if current < best_loss:
        best_loss = current
        with torch.no_grad():
            for name, p in model.named_parameters():
                best[name].copy_(p)
    epoch += 1
with torch.no_grad():
    for name, p in model.named_parameters():
        p.copy_(best[name])
