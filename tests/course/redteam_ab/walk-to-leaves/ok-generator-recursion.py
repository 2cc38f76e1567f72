# a recursive generator, deduplicated on the way out
def nodes(node, seen):
    if node is None or node in seen:
        return
    seen.add(node)
    yield node
    for child, _ in node.next_functions:
        yield from nodes(child, seen)

def leaves_of(t):
    out = []
    for node in nodes(t.grad_fn, set()):
        leaf = getattr(node, "variable", None)
        if leaf is not None and all(leaf is not o for o in out):
            out.append(leaf)
    return out
