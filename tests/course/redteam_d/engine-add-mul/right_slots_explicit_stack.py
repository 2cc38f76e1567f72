# __slots__, an iterative depth-first walk with an explicit stack, ops through one helper
import math


class Value:
    __slots__ = ("data", "grad", "_prev", "_rule")

    def __init__(self, data, prev=(), rule=None):
        self.data = data
        self.grad = 0
        self._prev = prev
        self._rule = rule

    def _op(self, other, data, rule):
        return Value(data, (self, other), rule)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self._op(other, self.data + other.data, lambda g, a, b: (g, g))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self._op(other, self.data * other.data, lambda g, a, b: (g * b.data, g * a.data))

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        order, done, stack = [], set(), [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
            elif id(v) not in done:
                done.add(id(v))
                stack.append((v, True))
                for c in v._prev:
                    stack.append((c, False))
        self.grad = 1
        for v in reversed(order):
            if v._rule is not None:
                ga = v._rule(v.grad, *v._prev) if len(v._prev) == 2 else (v._rule(v.grad, v._prev[0]),)
                for c, g in zip(v._prev, ga):
                    c.grad += g
