# misconception: only the first leading dim summed away, and keepdim everywhere else
def sum_to(grad, shape):
    if grad.dim() > len(shape):
        grad = grad.sum(0)
    for d, n in enumerate(shape):
        if n == 1:
            grad = grad.sum(d, keepdim=True)
    return grad
