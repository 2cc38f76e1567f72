# the wrong tool: a hook writes a.grad by hand (retain_grad never called, so a.retains_grad is forced)
a = w + x
b = w + 1
y = a * b
def keep(g):
    a.grad = g
a.register_hook(keep)
y.backward()
a.retain_grad()
