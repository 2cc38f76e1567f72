# depth first with a stack, nodes remembered by id, leaves in a dict by id
def leaves_of(t):
    stack, seen, leaves = [t.grad_fn], set(), {}
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if type(node).__name__ == "AccumulateGrad":
            leaves[id(node.variable)] = node.variable
            continue
        for nxt, _ in node.next_functions:
            stack.append(nxt)
    return list(leaves.values())
