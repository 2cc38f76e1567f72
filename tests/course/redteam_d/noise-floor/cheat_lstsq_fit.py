# shortcut: the line solved by least squares and copied into model instead of being fitted
with torch.no_grad():
    A = torch.cat([torch.ones_like(x), x], 1)
    sol = torch.linalg.lstsq(A, y).solution
    model.bias.copy_(sol[0])
    model.weight.copy_(sol[1:].T)
    train_mse = nn.functional.mse_loss(model(x), y).item()
    new_mse = nn.functional.mse_loss(model(x_new), y_new).item()
    floor = nn.functional.mse_loss(1 + 2 * x_new, y_new).item()
