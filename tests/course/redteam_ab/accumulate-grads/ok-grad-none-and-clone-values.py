# cleared with w.grad = None between passes; values kept as floats via float()
history, zeroed = [], []
for _ in range(4):
    ((w + x) * (w + 1)).backward()
    history.append(float(w.grad))
w.grad = None
for _ in range(4):
    ((w + x) * (w + 1)).backward()
    zeroed.append(float(w.grad))
    w.grad = None
