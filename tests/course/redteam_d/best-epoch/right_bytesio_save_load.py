# torch.save into an in-memory buffer as the snapshot, torch.load(weights_only=True) to bring it back
import io

best_loss = float("inf")
buffer = None
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    loss = validation_loss(model)
    if loss < best_loss:
        best_loss = loss
        buffer = io.BytesIO()
        torch.save(model.state_dict(), buffer)
buffer.seek(0)
model.load_state_dict(torch.load(buffer, weights_only=True))
