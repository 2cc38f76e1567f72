# BCE written with F.logsigmoid on the scores (stable), labels as a column
import torch.nn.functional as F

opt = torch.optim.SGD(linear.parameters(), lr=0.01, momentum=0.9)
t = train_y.unsqueeze(1)
losses = []
for it in range(1000):
    s = linear(train_x)
    loss = -(t * F.logsigmoid(s) + (1 - t) * F.logsigmoid(-s)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
    if ((s >= 0).float() != t).sum() <= 2:
        break
