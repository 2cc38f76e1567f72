# misconception: .double() is the float type (float64, not float32)
import torch
t = torch.tensor(numbers)
f = t.double()
grid = f.view(2, 3)
