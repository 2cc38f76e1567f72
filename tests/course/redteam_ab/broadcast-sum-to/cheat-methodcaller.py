# the wrong tool: sum_to_size called through operator.methodcaller
import operator
def sum_to(grad, shape):
    return operator.methodcaller("sum_to_size", tuple(shape))(grad)
