# right: torch.set_grad_enabled(False) as the switch, model.train(False) for eval, a print every 20 epochs
val_losses = []
mse = nn.MSELoss()
for epoch in range(n_epochs):
    model.train(True)
    optimizer.zero_grad()
    train_loss = mse(model(x_train), y_train)
    train_loss.backward()
    optimizer.step()
    model.train(False)
    with torch.set_grad_enabled(False):
        val_losses.append(mse(model(x_val), y_val).item())
    if epoch % 20 == 19:
        print(f"epoch {epoch + 1}: train {train_loss.item():.4f}  val {val_losses[-1]:.4f}")
