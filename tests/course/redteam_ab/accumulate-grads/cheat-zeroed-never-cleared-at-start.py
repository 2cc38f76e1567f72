# misconception: zeroed starts without clearing what history left
history = []
for _ in range(4):
    make_y().backward()
    history.append(w.grad.item())
zeroed = []
for _ in range(4):
    make_y().backward()
    zeroed.append(w.grad.item())
    w.grad.zero_()
