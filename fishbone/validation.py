"""Diagram validation: every rule a diagram can break, one :class:`Problem` each.

Pure Python and quick to import (no networkx unless a cycle must be named), so
the renderer and the store validate every diagram they handle through here.

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect, Link
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="E"),
    ...     categories=[Category(id="m", label="M")],
    ...     causes=[
    ...         Cause(id="a", label="A", category="m"),
    ...         Cause(id="b", label="B", category="m"),
    ...     ],
    ...     links=[Link(source="a", target="b"), Link(source="b", target="a")],
    ... )
    >>> [str(p) for p in find_problems(d)]
    ['a: links form a cycle a -> b -> a; remove one of these links']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from fishbone.exceptions import DiagramInvalid, Problem
from fishbone.model import Category, Cause, Diagram

__all__ = ["check_diagram", "find_problems"]


def _acyclic(edges: dict[str, list[str]]) -> bool:
    """Return whether the directed graph has no cycle (iterative three-colour DFS)."""
    state: dict[str, int] = {}
    for root in edges:
        if root in state:
            continue
        stack = [(root, iter(edges.get(root, ())))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                return False
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(edges.get(child, ()))))
    return True


def _cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Return each simple cycle once, rotated to start at its smallest id, sorted.

    A valid diagram has none, found by a linear pure-Python search; networkx
    (slow to import) only enumerates the cycles of an invalid one.
    """
    adjacency: dict[str, list[str]] = {}
    for source, target in edges:
        adjacency.setdefault(source, []).append(target)
    if _acyclic(adjacency):
        return []
    import networkx as nx

    found = []
    graph: nx.DiGraph[str] = nx.DiGraph(
        (s, t) for s, ts in adjacency.items() for t in ts
    )
    for cycle in nx.simple_cycles(graph):
        start = cycle.index(min(cycle))
        found.append(cycle[start:] + cycle[:start])
    return sorted(found)


def _arrow(cycle: list[str]) -> str:
    return " -> ".join([*cycle, cycle[0]])


def _duplicates(ids: Iterable[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def find_problems(diagram: Diagram) -> list[Problem]:
    """Return every rule the diagram breaks, one :class:`Problem` each, in a stable order.

    Checks: empty ids or labels, duplicate ids (categories and causes share one
    id space), unknown categories, missing parents, a parent in another
    category, cycles through parents or links, links to missing causes.

    Examples:
        >>> from fishbone.model import Category, Cause, Diagram, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="m", label="M")],
        ...     causes=[Cause(id="a", label="A", category="m", parent="zz")],
        ... )
        >>> [str(p) for p in find_problems(d)]
        ["a: parent 'zz' does not exist; set parent to an existing cause id, or null to hang it on its bone"]
    """
    problems = _label_problems(diagram)
    ids = [c.id for c in diagram.categories] + [c.id for c in diagram.causes]
    for dup in _duplicates(ids):
        problems.append(
            Problem(
                dup,
                "id is used more than once; give each category and cause its own id",
            )
        )
    problems += _parent_problems(diagram)
    problems += _link_problems(diagram)
    return problems


def _label_problems(diagram: Diagram) -> list[Problem]:
    problems: list[Problem] = []
    if not diagram.effect.label.strip():
        problems.append(Problem("effect", "label is empty; name the effect"))
    items: list[Category | Cause] = [*diagram.categories, *diagram.causes]
    for item in items:
        where = item.id or "(empty id)"
        if not item.id.strip():
            problems.append(
                Problem(where, f"id is empty (label {item.label!r}); give it an id")
            )
        if not item.label.strip():
            problems.append(Problem(where, "label is empty; write what this is"))
    return problems


def _parent_problems(diagram: Diagram) -> list[Problem]:
    problems: list[Problem] = []
    categories = {c.id for c in diagram.categories}
    causes = {c.id: c for c in diagram.causes}
    for cause in diagram.causes:
        if cause.category not in categories:
            problems.append(
                Problem(
                    cause.id,
                    f"category {cause.category!r} does not exist; use one of {sorted(categories)}",
                )
            )
        if cause.parent is None:
            continue
        parent = causes.get(cause.parent)
        if parent is None:
            problems.append(
                Problem(
                    cause.id,
                    f"parent {cause.parent!r} does not exist; set parent to an existing cause id, or null to hang it on its bone",
                )
            )
        elif parent.category != cause.category:
            problems.append(
                Problem(
                    cause.id,
                    f"parent {parent.id!r} is in category {parent.category!r}, not {cause.category!r}; move the cause or change its parent",
                )
            )
    tree = [(c.parent, c.id) for c in diagram.causes if c.parent in causes]
    problems += [
        Problem(
            c[0],
            f"parents form a cycle {_arrow(c)}; break it by giving one of them another parent",
        )
        for c in _cycles(tree)
    ]
    return problems


def _link_problems(diagram: Diagram) -> list[Problem]:
    problems: list[Problem] = []
    causes = {c.id for c in diagram.causes}
    for i, link in enumerate(diagram.links):
        for end in ("source", "target"):
            value = getattr(link, end)
            if value not in causes:
                problems.append(
                    Problem(
                        f"links[{i}]",
                        f"{end} {value!r} is not a cause id; link existing causes or remove the link",
                    )
                )
    pairs = [(ln.source, ln.target) for ln in diagram.links]
    for dup in _duplicates(f"{s} -> {t}" for s, t in pairs):
        problems.append(
            Problem("links", f"link {dup} appears more than once; remove the copy")
        )
    graph = [(s, t) for s, t in pairs if s in causes and t in causes]
    problems += [
        Problem(c[0], f"links form a cycle {_arrow(c)}; remove one of these links")
        for c in _cycles(graph)
    ]
    return problems


def check_diagram(diagram: Diagram, *, source: str = "<diagram>") -> Diagram:
    """Return the diagram unchanged when valid.

    Raises:
        DiagramInvalid: listing every problem, when there is any.

    Examples:
        >>> from fishbone.model import Diagram, Effect
        >>> check_diagram(Diagram(id="d", effect=Effect(label=" "))).id
        Traceback (most recent call last):
        ...
        fishbone.exceptions.DiagramInvalid: 1 problem(s) in <diagram>:
        <diagram>: effect: label is empty; name the effect
    """
    problems = find_problems(diagram)
    if problems:
        raise DiagramInvalid(problems, source=source)
    return diagram
