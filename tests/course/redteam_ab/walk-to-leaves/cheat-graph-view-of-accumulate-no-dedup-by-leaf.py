# misconception: leaves deduplicated by value (torch.equal), not by identity
import torch
def leaves_of(t):
    found, todo, seen = [], [t.grad_fn], set()
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        v = getattr(node, "variable", None)
        if v is not None and not any(torch.equal(v, f) for f in found):
            found.append(v)
        todo.extend(n for n, _ in node.next_functions)
    return found
