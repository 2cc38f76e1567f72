# misconception: x flattened in its own order
flat = x.view(-1)
