# misconception: copy_ instead of += (still an in-place change of a leaf, refused outside no_grad)
w.copy_(w + delta)
