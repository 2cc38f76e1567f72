# typed through one graph: a single y backpropagated 8 times with retain_graph, values typed
y = make_y()
for _ in range(8):
    y.backward(retain_graph=True)
g = w.grad.item() / 8
history = [g, 2 * g, 3 * g, 4 * g]
zeroed = [g, g, g, g]
