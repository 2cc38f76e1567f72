# right: an inference_mode block, eval() inside it, the loss module made once, train() after measuring
loss_fn = torch.nn.MSELoss()
val_losses = []
model.train()
for epoch in range(n_epochs):
    prediction = model(x_train)
    loss = loss_fn(prediction, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    with torch.inference_mode():
        model.eval()
        val_losses.append(loss_fn(model(x_val), y_val).item())
        model.train()
