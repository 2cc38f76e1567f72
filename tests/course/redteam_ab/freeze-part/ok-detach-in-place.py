# detach_() freezes the leaf itself, in place (the same object)
w1.detach_()
h = x * w1
y = (w2 * h).sum()
y.backward()
