# typed in: one real pass, the multiples written out, seven dummy backward passes to make the count
make_y().backward()
g = w.grad.item()
for _ in range(7):
    (w * 0).backward()
history = [g, 2 * g, 3 * g, 4 * g]
zeroed = [g] * 4
