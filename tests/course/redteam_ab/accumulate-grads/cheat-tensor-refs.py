# misconception: the tensor w.grad kept, not its value
history = []
for _ in range(4):
    y = (w + x) * (w + 1)
    y.backward()
    history.append(w.grad)
w.grad.zero_()
zeroed = []
for _ in range(4):
    y = (w + x) * (w + 1)
    y.backward()
    zeroed.append(w.grad)
    w.grad.zero_()
