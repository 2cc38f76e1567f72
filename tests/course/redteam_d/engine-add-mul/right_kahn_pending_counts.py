# Kahn's algorithm: gradients passed on once every consumer of a value has been processed (counts of pending uses)
class Value:
    def __init__(self, data, inputs=()):
        self.data = data
        self.grad = 0.0
        self.inputs = inputs  # (value, local derivative) pairs

    @staticmethod
    def lift(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value.lift(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        other = Value.lift(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def __radd__(self, other):
        return Value.lift(other) + self

    def __rmul__(self, other):
        return Value.lift(other) * self

    def backward(self):
        pending, stack, seen = {}, [self], {id(self)}
        while stack:
            v = stack.pop()
            for u, _ in v.inputs:
                pending[id(u)] = pending.get(id(u), 0) + 1
                if id(u) not in seen:
                    seen.add(id(u))
                    stack.append(u)
        self.grad = 1.0
        ready = [self]
        while ready:
            v = ready.pop()
            for u, d in v.inputs:
                u.grad += d * v.grad
                pending[id(u)] -= 1
                if pending[id(u)] == 0:
                    ready.append(u)
