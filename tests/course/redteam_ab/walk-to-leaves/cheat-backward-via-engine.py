# the wrong tool: the autograd engine run through torch.autograd.backward under another name
import torch.autograd as A
import torch
def leaves_of(t):
    run = A.backward
    pool = []
    return pool
