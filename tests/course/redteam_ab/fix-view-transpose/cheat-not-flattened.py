# misconception: contiguous() alone is the fix (flat stays two-dimensional)
xt = x.t()
flat = xt.contiguous()
