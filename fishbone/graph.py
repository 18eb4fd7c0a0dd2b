"""The networkx view of a diagram: traversal and roll-ups (validation: ``fishbone.validation``).

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

from collections.abc import Hashable, Mapping, Set
from typing import Final, Literal, TypeVar

import networkx as nx

from fishbone.exceptions import CauseNotFound
from fishbone.model import Diagram

__all__ = [
    "EFFECT_NODE",
    "depth",
    "descendants",
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
