# requires_grad switched off for the update and on again: the change is not recorded either
w.requires_grad_(False)
w += delta
w.requires_grad_(True)
