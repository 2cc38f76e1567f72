# y computed as the setup's f computes it, without calling f
import torch
y = torch.tanh(torch.mv(W, x))
y.backward(v)
