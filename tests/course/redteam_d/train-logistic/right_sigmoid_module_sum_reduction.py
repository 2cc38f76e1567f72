# a Sequential with Sigmoid, BCELoss through the module, mistakes counted with torch.ne, a while True loop
model = nn.Sequential(linear, nn.Sigmoid())
criterion = nn.BCELoss()
opt = torch.optim.SGD(linear.parameters(), momentum=0.9, lr=0.01)
losses = []
while True:
    probs = model(train_x).flatten()
    loss = criterion(probs, train_y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(float(loss))
    wrong = torch.ne((probs >= 0.5).float(), train_y).sum().item()
    if wrong <= 2 or len(losses) >= 1000:
        break
