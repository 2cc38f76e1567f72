# misconception: eval() on the dropout layer alone, the model itself stays in train mode while measuring
val_losses = []
for epoch in range(n_epochs):
    model.train()
    loss = nn.functional.mse_loss(model(x_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    model[2].eval()
    with torch.no_grad():
        val_losses.append(nn.functional.mse_loss(model(x_val), y_val).item())
