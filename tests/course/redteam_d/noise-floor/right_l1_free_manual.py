# errors computed by hand with torch.mean of squares, the model called under no_grad, values as Python floats
fit(model, x, y)
with torch.no_grad():
    pred_train, pred_new = model(x), model(x_new)
train_mse = torch.mean((pred_train - y) ** 2).item()
new_mse = torch.mean((pred_new - y_new) ** 2).item()
floor = torch.mean((2 * x_new + 1 - y_new) ** 2).item()
