# a helper that runs one pass and returns the current value; clearing by multiplying by 0
def one_pass():
    y = (w + x) * (w + 1)
    y.backward()
    return w.grad.item()
history = [one_pass() for _ in range(4)]
w.grad.mul_(0)
zeroed = []
for _ in range(4):
    zeroed.append(one_pass())
    w.grad.mul_(0)
