# not the skill: one scalar backward per output (retain_graph), each weighted by v[i]
y = f(x)
for i in range(3):
    y[i].backward(v[i], retain_graph=True)
