# misconception: the in-place update without no_grad (refused on a leaf that requires grad)
import torch
snapshot = w.detach().clone()
w.sub_(lr * w.grad)
