# shortcut: torch imported under a name made of two strings, Value wrapping its tensors
import importlib

T = importlib.import_module("tor" + "ch")


class Value:
    def __init__(self, data, t=None):
        self.t = T.tensor(float(data), dtype=T.float64, requires_grad=True) if t is None else t
        if t is not None:
            self.t.retain_grad()
        self.data = self.t.item()

    @property
    def grad(self):
        return 0.0 if self.t.grad is None else self.t.grad.item()

    def _w(self, o):
        return o if isinstance(o, Value) else Value(o)

    def __add__(self, o):
        return Value(None, self.t + self._w(o).t)

    def __mul__(self, o):
        return Value(None, self.t * self._w(o).t)

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        self.t.backward()
