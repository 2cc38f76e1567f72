# misconception: each loss measured after its step (the list is shifted by one step)
feats = torch.cat([x, x ** 2], 1)
line_losses, quad_losses = [], []
for model, inputs, opt, losses in ((line, x, torch.optim.SGD(line.parameters(), lr=0.1), line_losses),
                                   (quad, feats, torch.optim.Adam(quad.parameters(), lr=0.1), quad_losses)):
    for step in range(500):
        loss = nn.functional.mse_loss(model(inputs), y)
        opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            losses.append(nn.functional.mse_loss(model(inputs), y).item())
line_mse = line_losses[-1]
quad_mse = quad_losses[-1]
