# the wrong tool: post-accumulate hooks on... the graph run with backward
import torch
def leaves_of(t):
    out = []
    t.backward(retain_graph=True)
    return out
