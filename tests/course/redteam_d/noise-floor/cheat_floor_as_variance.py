# misconception: the floor as the variance of the new points' noise (the noise's mean square also counts its mean)
fit(model, x, y)
with torch.no_grad():
    train_mse = nn.functional.mse_loss(model(x), y).item()
    new_mse = nn.functional.mse_loss(model(x_new), y_new).item()
    floor = (y_new - (1 + 2 * x_new)).var().item()
