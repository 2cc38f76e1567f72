# misconception: the columns in the other order (x ** 2 first), so quad's weights swap roles
feats = torch.cat([x ** 2, x], 1)
line_losses, quad_losses = [], []
opt = torch.optim.SGD(line.parameters(), lr=0.1)
for step in range(500):
    loss = nn.functional.mse_loss(line(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    line_losses.append(loss.item())
opt = torch.optim.Adam(quad.parameters(), lr=0.1)
for step in range(500):
    loss = nn.functional.mse_loss(quad(feats), y)
    opt.zero_grad(); loss.backward(); opt.step()
    quad_losses.append(loss.item())
line_mse = nn.functional.mse_loss(line(x), y).item()
quad_mse = nn.functional.mse_loss(quad(feats), y).item()
