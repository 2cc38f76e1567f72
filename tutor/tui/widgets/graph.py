"""The autograd graph of a tensor from the last run: a tree of short node names (what
torchviz draws), and the highlighted node's details wrapped beside or under it, so nothing is
cut at the right edge of a small terminal."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from tutor.tui.format import leaf_label, value_text
from tutor.tui.widgets.blink import app_blinks

NOTE = "Run or check your code; the graph of the tensor named here is drawn (enter: draw)."


class GraphView(Vertical):
    """An expression box (which tensor) above a :class:`Tree` of its ``grad_fn`` nodes and
    the highlighted node's details."""

    class Asked(Message):
        def __init__(self, expr: str) -> None:
            super().__init__()
            self.expr = expr

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.auto = True  # the target was picked by tutor, not typed by the learner
        self.drawn: str | None = None  # the expression whose graph (or note) is shown

    def compose(self) -> ComposeResult:
        yield Input(placeholder="a tensor to draw, e.g. y or loss; enter draws", id="graph-expr")
        yield Static(NOTE, id="graph-note")
        with Horizontal(id="graph-body"):
            tree: Tree = Tree("graph", id="graph-tree")
            tree.show_root = True
            yield tree
            with VerticalScroll(id="graph-side", can_focus=True):
                yield Static("", id="graph-details")
        # shown once there is a graph (set here: no query on mount)

    def on_mount(self) -> None:
        self.query_one("#graph-body").display = False
        self.query_one("#graph-expr", Input).cursor_blink = app_blinks(self.app)

    @property
    def expr(self) -> str:
        return self.query_one("#graph-expr", Input).value.strip()

    def set_expr(self, expr: str, auto: bool = True) -> None:
        """Set the target; an automatic pick never replaces one the learner typed."""
        box = self.query_one("#graph-expr", Input)
        if auto and not self.auto and box.value.strip():
            return
        self.auto = auto
        with box.prevent(Input.Changed):
            box.value = expr

    @on(Input.Changed, "#graph-expr")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.auto = False

    @on(Input.Submitted, "#graph-expr")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Asked(event.value.strip()))

    def show_graph(self, expr: str, graph: dict[str, Any] | None) -> None:
        self.drawn = expr
        note = self.query_one("#graph-note", Static)
        body = self.query_one("#graph-body")
        tree = self.query_one(Tree)
        if graph is None:
            note.update(f"{expr} is not a tensor (or the run did not get that far).")
            body.display = False
            return
        if "error" in graph:
            note.update(Text(f"{expr}: {graph['error']}", style="red"))
            body.display = False
            return
        tensor = graph.get("tensor", {})
        label = Text()
        label.append(expr, style="bold")
        label.append(f"  {_shape(tensor)}", style="cyan")
        tree.reset(label, {"kind": "root", "expr": expr, "tensor": tensor})
        root = graph.get("grad_fn")
        if root is None:
            note.update(f"{expr} has no grad_fn: it is a leaf, or it does not require grad.")
        else:
            note.update("grad_fn nodes, output to leaves: ↑↓ picks one, its details show")
            _add(tree.root, root)
        body.display = True
        tree.root.expand_all()
        tree.move_cursor(tree.root)
        self._details(tree.root.data)

    @on(Tree.NodeHighlighted, "#graph-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        self._details(event.node.data)

    def _details(self, data: dict[str, Any] | None) -> None:
        self.query_one("#graph-details", Static).update(details_text(data))


def _shape(info: dict[str, Any]) -> str:
    """``[2, 3]``, or ``scalar``."""
    shape = info.get("shape", [])
    return f"[{', '.join(str(n) for n in shape)}]" if shape else "scalar"


def details_text(data: dict[str, Any] | None) -> Text:
    """What one node of the tree is, wrapped to any width."""
    out = Text()
    if not data:
        return out
    if data.get("kind") == "root":
        tensor = data.get("tensor", {})
        out.append(f"{data.get('expr')} = ", style="bold")
        out.append_text(value_text(str(tensor.get("value", ""))))
        out.append("\n")
        out.append_text(leaf_label(tensor))
        return out
    node = data.get("node", {})
    name = node.get("name", "?")
    leaf = node.get("leaf")
    if leaf:
        out.append(f"{leaf.get('name') or 'a leaf'}", style="bold green")
        out.append(f" ({name}: where its gradient is accumulated)\n", style="dim")
        out.append_text(value_text(str(leaf.get("value", ""))))
        out.append("\n")
        out.append_text(leaf_label(leaf))
        if node.get("ref"):
            out.append(
                "\nshared: this leaf is used more than once; its gradients add up in .grad",
                style="dim",
            )
        return out
    if name == "AccumulateGrad":  # a leaf's node whose tensor is not known
        out.append("a leaf", style="bold green")
        out.append(f" ({name}: where its gradient is accumulated)", style="dim")
        if node.get("ref"):
            out.append("\nshared: this node is drawn in full above", style="dim")
        return out
    out.append(name, style="bold magenta")
    inputs = len(node.get("children") or [])
    out.append(
        f"\nthe operation that made this tensor; backward sends its gradient to "
        f"{inputs} input{'s' if inputs != 1 else ''} below",
        style="dim",
    )
    if node.get("ref"):
        out.append("\nshared: this node is drawn in full above", style="dim")
    if node.get("truncated"):
        out.append("\nthe graph is cut here: too many nodes", style="dim")
    return out


def _add(parent: TreeNode, node: dict[str, Any]) -> None:
    label = Text(node.get("name", "?"), style="bold magenta")
    leaf = node.get("leaf")
    if leaf:
        label = Text(f"{leaf.get('name') or 'leaf'}", style="bold green")
        label.append(f"  {_shape(leaf)} leaf", style="dim")
    elif node.get("name") == "AccumulateGrad":  # a leaf whose tensor is not known
        label = Text("leaf", style="bold green")
    if node.get("ref"):
        label.append("  (drawn above)", style="dim")
    if node.get("truncated"):
        label.append("  (cut)", style="dim")
    data = {"kind": "node", "node": node}
    children = node.get("children") or []
    if children:
        branch = parent.add(label, data, expand=True)
        for child in children:
            _add(branch, child)
    else:
        parent.add_leaf(label, data)
