# misconception: a round trip through NumPy taken for a copy (numpy() and from_numpy share memory)
best_loss = float("inf")
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    loss = validation_loss(model)
    if loss < best_loss:
        best_loss = loss
        best_state = {k: torch.from_numpy(v.numpy()) for k, v in model.state_dict().items()}
model.load_state_dict(best_state)
