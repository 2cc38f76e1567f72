# misconception: the walk stops at the first leaf it meets
def leaves_of(t):
    todo, seen = [t.grad_fn], set()
    while todo:
        node = todo.pop(0)
        if node is None or node in seen:
            continue
        seen.add(node)
        if hasattr(node, "variable"):
            return [node.variable]
        todo.extend(n for n, _ in node.next_functions)
    return []
