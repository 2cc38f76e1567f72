# leaves returned as a tuple
def leaves_of(t):
    todo, seen, found = [t.grad_fn], [], []
    while todo:
        node = todo.pop()
        if node is None or any(node is s for s in seen):
            continue
        seen.append(node)
        if hasattr(node, "variable"):
            found.append(node.variable)
        todo += [c for c, _ in node.next_functions]
    return tuple(found)
