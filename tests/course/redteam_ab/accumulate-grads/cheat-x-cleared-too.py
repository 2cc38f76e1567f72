# misconception: x.grad cleared together with w.grad (the prompt leaves it alone)
history = []
for _ in range(4):
    make_y().backward()
    history.append(w.grad.item())
w.grad, x.grad = None, None
zeroed = []
for _ in range(4):
    make_y().backward()
    zeroed.append(w.grad.item())
    w.grad, x.grad = None, None
