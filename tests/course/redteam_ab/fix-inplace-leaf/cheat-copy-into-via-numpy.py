# hidden from autograd: w's memory changed through NumPy (no version change, no record)
w.detach().numpy()[:] += delta.numpy()
