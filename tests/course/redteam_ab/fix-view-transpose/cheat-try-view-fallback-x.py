# dodged: the error caught and x's own order used instead
xt = x.t()
try:
    flat = xt.view(-1)
except RuntimeError:
    flat = x.reshape(-1)
