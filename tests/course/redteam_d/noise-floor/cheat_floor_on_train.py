# misconception: the floor measured on the training points (it is the true line's error on the new points)
fit(model, x, y)
with torch.no_grad():
    train_mse = nn.functional.mse_loss(model(x), y).item()
    new_mse = nn.functional.mse_loss(model(x_new), y_new).item()
    floor = nn.functional.mse_loss(1 + 2 * x, y).item()
