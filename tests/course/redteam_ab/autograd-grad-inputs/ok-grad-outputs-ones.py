# explicit grad_outputs for the scalar loss, from torch.autograd import grad as a name
from torch.autograd import grad
import torch
gw, gh = grad(outputs=[loss], inputs=[w, h], grad_outputs=[torch.ones_like(loss)])
