"""The autograd graph of a tensor from the last run, as a tree (what torchviz draws)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from tutor.tui.format import leaf_label, value_text


class GraphView(Vertical):
    """An expression box (which tensor) above a :class:`Tree` of its ``grad_fn`` nodes."""

    class Asked(Message):
        def __init__(self, expr: str) -> None:
            super().__init__()
            self.expr = expr

    def compose(self) -> ComposeResult:
        yield Input(placeholder="tensor to draw, e.g. y or loss; enter draws", id="graph-expr")
        yield Static("Run or check your code, then name a tensor.", id="graph-note")
        tree: Tree = Tree("graph", id="graph-tree")
        tree.display = False  # shown once there is a graph (set here: no query on mount)
        yield tree

    @property
    def expr(self) -> str:
        return self.query_one("#graph-expr", Input).value.strip()

    def set_expr(self, expr: str) -> None:
        box = self.query_one("#graph-expr", Input)
        if not box.value.strip():
            box.value = expr

    @on(Input.Submitted, "#graph-expr")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Asked(event.value.strip()))

    def show_graph(self, expr: str, graph: dict[str, Any] | None) -> None:
        note = self.query_one("#graph-note", Static)
        tree = self.query_one(Tree)
        if graph is None:
            note.update(f"{expr} is not a tensor (or the run did not get that far).")
            tree.display = False
            return
        if "error" in graph:
            note.update(Text(f"{expr}: {graph['error']}", style="red"))
            tree.display = False
            return
        tensor = graph.get("tensor", {})
        label = Text()
        label.append(expr, style="bold")
        label.append(" = ")
        label.append_text(value_text(str(tensor.get("value", ""))))
        label.append("  ")
        label.append_text(leaf_label(tensor))
        tree.reset(label)
        root = graph.get("grad_fn")
        if root is None:
            note.update(f"{expr} has no grad_fn: it is a leaf or does not require grad.")
        else:
            note.update("grad_fn nodes, from the output back to the leaves (enter folds)")
            _add(tree.root, root)
        tree.display = True
        tree.root.expand_all()


def _add(parent: TreeNode, node: dict[str, Any]) -> None:
    label = Text(node.get("name", "?"), style="bold magenta")
    leaf = node.get("leaf")
    if leaf:
        label = Text(f"{leaf.get('name') or 'leaf'} ", style="bold green")
        label.append(f"({node.get('name')})  ", style="dim")
        label.append_text(value_text(str(leaf.get("value", ""))))
        label.append("  ")
        label.append_text(leaf_label(leaf))
    if node.get("ref"):
        label.append("  (shared: drawn above)", style="dim")
    if node.get("truncated"):
        label.append("  (graph cut: too many nodes)", style="dim")
    children = node.get("children") or []
    if children:
        branch = parent.add(label, expand=True)
        for child in children:
            _add(branch, child)
    else:
        parent.add_leaf(label)
