# optimizer.step(closure) recording the loss inside the closure
def fit(model, inputs, opt):
    losses = []
    def closure():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(inputs), y)
        loss.backward()
        losses.append(loss.item())
        return loss
    for _ in range(500):
        opt.step(closure)
    return losses

line_losses = fit(line, x, torch.optim.SGD(line.parameters(), lr=0.1))
inputs2 = torch.cat((x, x.square()), dim=-1)
quad_losses = fit(quad, inputs2, torch.optim.Adam(quad.parameters(), lr=0.1))
with torch.no_grad():
    line_mse = nn.functional.mse_loss(line(x), y).item()
    quad_mse = nn.functional.mse_loss(quad(inputs2), y).item()
