# shortcut: x itself replaced by its contiguous transpose
x = x.t().contiguous()
flat = x.view(-1)
