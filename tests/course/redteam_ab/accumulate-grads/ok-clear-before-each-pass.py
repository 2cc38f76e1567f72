# in the second part, w.grad cleared before each pass instead of after (one pass each as well)
history = []
for _ in range(4):
    make_y().backward()
    history.append(w.grad.item())
zeroed = []
for _ in range(4):
    w.grad = None
    make_y().backward()
    zeroed.append(w.grad.item())
print(history, zeroed)
