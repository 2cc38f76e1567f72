# misconception: zeroed starts without clearing what history left (first entry is 5g)
history = []
for _ in range(4):
    y = (w + x) * (w + 1)
    y.backward()
    history.append(w.grad.item())
zeroed = []
for _ in range(4):
    y = (w + x) * (w + 1)
    y.backward()
    zeroed.append(w.grad.item())
    w.grad.zero_()
