# permute instead of t(), then a contiguous copy viewed flat
xt = x.permute(1, 0)
print(xt.is_contiguous())
flat = xt.contiguous().view(x.numel())
