# nn.MSELoss, torch.stack of squeezed columns, losses as float(loss), the MSE measured under inference_mode
mse = nn.MSELoss()
sgd = torch.optim.SGD(line.parameters(), lr=0.1)
line_losses = []
for _ in range(500):
    sgd.zero_grad()
    loss = mse(line(x), y)
    loss.backward()
    sgd.step()
    line_losses.append(float(loss))
feats = torch.stack([x.squeeze(1), x.squeeze(1) ** 2], dim=1)
adam = torch.optim.Adam(quad.parameters(), lr=0.1)
quad_losses = []
for _ in range(500):
    adam.zero_grad()
    loss = mse(quad(feats), y)
    loss.backward()
    adam.step()
    quad_losses.append(float(loss))
with torch.inference_mode():
    line_mse = mse(line(x), y).item()
    quad_mse = mse(quad(feats), y).item()
