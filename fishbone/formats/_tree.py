"""The label tree that outline text and Mermaid share: build it, and walk a diagram.

Both formats hold an effect and a tree of labels: depth 1 are the categories,
depth 2 the causes on their bones, deeper levels sub-causes. Ids are made from
the labels (:func:`~fishbone.formats._text.slugify`), unique across categories
and causes, in document order, so the same text always gives the same ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from fishbone.formats._text import slugify, unique_id
from fishbone.model import Category, Cause, Diagram, Effect, EffectKind

__all__ = ["Node", "diagram_from_tree", "nest", "walk"]


@dataclass
class Node:
    """One label in the tree, with the line it came from and its children."""

    label: str
    line: int = 0
    children: list[Node] = field(default_factory=list)


def nest(items: Iterable[tuple[int, str, int]]) -> list[Node]:
    """Return the top-level nodes of ``(level, label, line)`` items, levels >= 1.

    An item's parent is the nearest earlier item with a lower level, as in
    Mermaid's ishikawa parser.

    Examples:
        >>> [
        ...     (n.label, [c.label for c in n.children])
        ...     for n in nest([(1, "A", 2), (3, "a", 3), (1, "B", 4)])
        ... ]
        [('A', ['a']), ('B', [])]
    """
    root = Node("")
    stack: list[tuple[int, Node]] = [(0, root)]
    for level, label, line in items:
        while stack[-1][0] >= level:
            stack.pop()
        node = Node(label, line)
        stack[-1][1].children.append(node)
        stack.append((level, node))
    return root.children


def diagram_from_tree(
    effect: str,
    categories: list[Node],
    *,
    kind: EffectKind = EffectKind.PROBLEM,
    diagram_id: str | None = None,
) -> Diagram:
    """Return the diagram whose bones are ``categories`` (their children are causes).

    Examples:
        >>> d = diagram_from_tree("Late", [Node("Staff", children=[Node("Staff")])])
        >>> d.id, [c.id for c in d.categories], [c.id for c in d.causes]
        ('late', ['staff'], ['staff-2'])
    """
    taken: set[str] = set()
    cats: list[Category] = []
    causes: list[Cause] = []
    for node in categories:
        cat = Category(
            id=unique_id(slugify(node.label, fallback="category"), taken),
            label=node.label,
        )
        cats.append(cat)
        _add_causes(node.children, cat.id, None, causes, taken)
    return Diagram(
        id=diagram_id or slugify(effect, fallback="diagram"),
        effect=Effect(label=effect, kind=kind),
        categories=cats,
        causes=causes,
    )


def _add_causes(
    nodes: list[Node],
    category: str,
    parent: str | None,
    out: list[Cause],
    taken: set[str],
) -> None:
    """Append the causes of ``nodes`` and their children, depth first."""
    for node in nodes:
        cid = unique_id(slugify(node.label, fallback="cause"), taken)
        out.append(Cause(id=cid, label=node.label, category=category, parent=parent))
        _add_causes(node.children, category, cid, out, taken)


def walk(diagram: Diagram) -> Iterator[tuple[int, str]]:
    """Yield ``(depth, label)`` for categories (depth 1) and their causes, in order.

    Causes that no category reaches (a missing parent or category, a cycle) are
    left out: run :func:`fishbone.graph.find_problems` first.

    Examples:
        >>> d = diagram_from_tree(
        ...     "E", [Node("M", children=[Node("a", children=[Node("b")])])]
        ... )
        >>> list(walk(d))
        [(1, 'M'), (2, 'a'), (3, 'b')]
    """
    children: dict[str | None, list[Cause]] = {}
    for cause in diagram.causes:
        children.setdefault(cause.parent, []).append(cause)
    for cat in diagram.categories:
        yield 1, cat.label
        bone = [c for c in children.get(None, []) if c.category == cat.id]
        yield from _walk_causes(bone, children, 2, set())


def _walk_causes(
    causes: list[Cause],
    children: dict[str | None, list[Cause]],
    depth: int,
    seen: set[str],
) -> Iterator[tuple[int, str]]:
    """Yield the causes and their sub-causes, depth first, each id once."""
    for cause in causes:
        if cause.id in seen:
            continue
        seen.add(cause.id)
        yield depth, cause.label
        yield from _walk_causes(children.get(cause.id, []), children, depth + 1, seen)
