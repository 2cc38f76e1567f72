# Tensor.flatten copies when it must
flat = x.t().flatten()
