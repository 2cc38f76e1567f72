# right: a measure() decorated with @torch.no_grad(), train() called at the top of each epoch, shuffled mini-batches by hand
@torch.no_grad()
def measure(net):
    net.eval()
    return torch.mean((net(x_val) - y_val) ** 2).item()


val_losses = []
for epoch in range(n_epochs):
    model.train()
    order = torch.randperm(len(x_train))
    for chunk in order.split(16):
        loss = nn.functional.mse_loss(model(x_train[chunk]), y_train[chunk])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    val_losses.append(measure(model))
