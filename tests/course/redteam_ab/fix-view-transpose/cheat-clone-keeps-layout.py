# misconception: clone() gives a contiguous copy (it keeps the transposed strides)
xt = x.t().clone()
try:
    flat = xt.view(-1)
except RuntimeError:
    flat = xt
