# gradient= as a keyword; v used as it is, y printed first
y = f(x)
print(y)
y.backward(gradient=v.clone())
