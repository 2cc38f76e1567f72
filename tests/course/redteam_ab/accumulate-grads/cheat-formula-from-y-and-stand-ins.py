# typed in: each pass's gradient worked out from y's value by the formula, eight backward passes from a stand-in
import torch
gs = []
for _ in range(8):
    y = make_y()
    c = y.item() / ((w + x) * (w + 1)).item()
    gs.append(c * float(2 * w + x + 1))
    (y * 0).backward()
history = [sum(gs[:k]) for k in range(1, 5)]
zeroed = gs[4:]
