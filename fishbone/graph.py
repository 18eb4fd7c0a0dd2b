"""The networkx view of a diagram: validation, traversal and roll-ups.

:func:`to_networkx` builds a directed tree from the effect down (effect ->
category -> cause -> sub-cause) with cross-links kept apart in
``G.graph["links"]``. Node ``EFFECT_NODE`` is the head; every other node is a
category or cause id, with ``kind`` set to ``"category"`` or ``"cause"``.

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="Happy customers", kind="goal"),
    ...     categories=[Category(id="p", label="Processes")],
    ...     causes=[
    ...         Cause(id="a", label="Fast refunds", category="p"),
    ...         Cause(id="b", label="Clear policy", category="p", parent="a"),
    ...     ],
    ... )
    >>> G = to_networkx(d)
    >>> path_to_effect(G, "b")
    ['b', 'a', 'p', '']
    >>> depth(G, "b"), sorted(descendants(G, "a"))
    (2, ['b'])
    >>> roll_up(G, {"a": 1.0, "b": 2.0})["p"]
    3.0
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Set
from typing import Final, Literal, TypeVar

import networkx as nx

from fishbone.exceptions import CauseNotFound, DiagramInvalid, Problem
from fishbone.model import Category, Cause, Diagram

__all__ = [
    "EFFECT_NODE",
    "check_diagram",
    "depth",
    "descendants",
    "find_problems",
    "path_to_effect",
    "roll_up",
    "roll_up_sets",
    "to_networkx",
]

EFFECT_NODE: Final = ""
"""Node key of the effect (ids are never empty, so it cannot clash)."""

H = TypeVar("H", bound=Hashable)


def to_networkx(diagram: Diagram) -> nx.DiGraph[str]:
    """Return the diagram as a tree directed from the effect to the causes.

    Causes whose parent or category is missing are left out; run
    :func:`find_problems` first when the diagram may be invalid.

    Examples:
        >>> from fishbone.model import Diagram, Effect
        >>> G = to_networkx(Diagram(id="d", effect=Effect(label="E")))
        >>> G.nodes[EFFECT_NODE]["label"]
        'E'
    """
    G: nx.DiGraph[str] = nx.DiGraph(
        links=[(ln.source, ln.target) for ln in diagram.links]
    )
    G.add_node(EFFECT_NODE, kind="effect", label=diagram.effect.label)
    for cat in diagram.categories:
        G.add_node(cat.id, kind="category", label=cat.label)
        G.add_edge(EFFECT_NODE, cat.id)
    for cause in diagram.causes:
        G.add_node(cause.id, kind="cause", label=cause.label, category=cause.category)
    for cause in diagram.causes:
        up = cause.category if cause.parent is None else cause.parent
        if up in G and up != cause.id:
            G.add_edge(up, cause.id)
    return G


def _cause_node(G: nx.DiGraph[str], node: str) -> None:
    if node not in G or node == EFFECT_NODE:
        raise CauseNotFound(node)


def path_to_effect(G: nx.DiGraph[str], node: str) -> list[str]:
    """Return the ids from ``node`` up to the effect, both included.

    Raises:
        CauseNotFound: when ``node`` is not in the diagram.

    Examples:
        >>> G = nx.DiGraph([(EFFECT_NODE, "cat"), ("cat", "c1")])
        >>> path_to_effect(G, "c1")
        ['c1', 'cat', '']
    """
    _cause_node(G, node)
    path = [node]
    while path[-1] != EFFECT_NODE:
        (up,) = G.predecessors(path[-1])
        path.append(up)
    return path


def depth(G: nx.DiGraph[str], node: str) -> int:
    """Return how deep a cause sits: 1 on a bone, 2 under such a cause, 0 for a category.

    Examples:
        >>> depth(nx.DiGraph([(EFFECT_NODE, "cat"), ("cat", "c1")]), "c1")
        1
    """
    return len(path_to_effect(G, node)) - 2


def descendants(G: nx.DiGraph[str], node: str) -> set[str]:
    """Return every cause under ``node`` (a cause or a category).

    Examples:
        >>> sorted(
        ...     descendants(
        ...         nx.DiGraph([(EFFECT_NODE, "cat"), ("cat", "a"), ("a", "b")]), "cat"
        ...     )
        ... )
        ['a', 'b']
    """
    _cause_node(G, node)
    return set(nx.descendants(G, node))


def roll_up(
    G: nx.DiGraph[str],
    values: Mapping[str, float],
    *,
    how: Literal["sum", "max"] = "sum",
) -> dict[str, float]:
    """Roll a per-cause number up to every parent cause, category and the effect.

    Each node gets its own value combined with those of all its descendants.

    Examples:
        >>> G = nx.DiGraph([(EFFECT_NODE, "cat"), ("cat", "a"), ("a", "b")])
        >>> roll_up(G, {"a": 2.0, "b": 5.0}, how="max")
        {'b': 5.0, 'a': 5.0, 'cat': 5.0, '': 5.0}
    """
    combine = sum if how == "sum" else max
    out: dict[str, float] = {}
    for node in reversed(list(nx.topological_sort(G))):
        own = [float(values.get(node, 0.0))]
        out[node] = float(combine(own + [out[child] for child in G.successors(node)]))
    return out


def roll_up_sets(
    G: nx.DiGraph[str], members: Mapping[str, Set[H]]
) -> dict[str, frozenset[H]]:
    """Roll per-cause sets (say, comment ids) up, so each member counts once per parent.

    Examples:
        >>> G = nx.DiGraph([(EFFECT_NODE, "cat"), ("cat", "a"), ("cat", "b")])
        >>> sorted(roll_up_sets(G, {"a": {1, 2}, "b": {2, 3}})["cat"])
        [1, 2, 3]
    """
    out: dict[str, frozenset[H]] = {}
    for node in reversed(list(nx.topological_sort(G))):
        acc: set[H] = set(members.get(node, ()))
        for child in G.successors(node):
            acc |= out[child]
        out[node] = frozenset(acc)
    return out


def _cycles(graph: nx.DiGraph[str]) -> list[list[str]]:
    """Return each simple cycle once, rotated to start at its smallest id, sorted."""
    found = []
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
    tree = nx.DiGraph((c.parent, c.id) for c in diagram.causes if c.parent in causes)
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
    graph = nx.DiGraph((s, t) for s, t in pairs if s in causes and t in causes)
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
