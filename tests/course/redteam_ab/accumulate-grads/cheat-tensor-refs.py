# misconception: the tensor w.grad kept, not its value
history = []
for _ in range(4):
    make_y().backward()
    history.append(w.grad)
w.grad.zero_()
zeroed = []
for _ in range(4):
    make_y().backward()
    zeroed.append(w.grad)
    w.grad.zero_()
