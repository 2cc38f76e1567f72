# cleared with w.grad = None between passes; values kept as floats via float()
history, zeroed = [], []
for _ in range(4):
    make_y().backward()
    history.append(float(w.grad))
w.grad = None
for _ in range(4):
    make_y().backward()
    zeroed.append(float(w.grad))
    w.grad = None
