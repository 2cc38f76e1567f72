# misconception: root mean squared errors instead of mean squared errors
fit(model, x, y)
with torch.no_grad():
    train_mse = nn.functional.mse_loss(model(x), y).sqrt().item()
    new_mse = nn.functional.mse_loss(model(x_new), y_new).sqrt().item()
    floor = nn.functional.mse_loss(1 + 2 * x_new, y_new).sqrt().item()
