# misconception: detach() taken for a copy (it shares memory with the parameter, so "best" follows training)
best_loss = float("inf")
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    loss = validation_loss(model)
    if loss < best_loss:
        best_loss = loss
        best_state = {k: v.detach() for k, v in model.state_dict().items()}
model.load_state_dict(best_state)
