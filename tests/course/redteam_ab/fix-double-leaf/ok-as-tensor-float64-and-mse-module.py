# as_tensor with dtype, then requires_grad_; nn.MSELoss
import torch
w = torch.as_tensor(w0, dtype=torch.float64).requires_grad_()
loss = torch.nn.MSELoss()(x @ w, y)
loss.backward()
with torch.no_grad():
    w.copy_(w - lr * w.grad)
