"""What changed between two versions of a diagram: a field-level diff and a one-line summary.

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> old = Diagram(
    ...     id="d",
    ...     effect=Effect(label="E"),
    ...     categories=[Category(id="m", label="M")],
    ...     causes=[Cause(id="a", label="A", category="m")],
    ... )
    >>> new = old.model_copy(deep=True)
    >>> new.causes[0].label = "A2"
    >>> new.causes.append(Cause(id="b", label="B", category="m"))
    >>> [str(c) for c in diff_diagrams(old, new)]
    ["changed causes/a/label: 'A' -> 'A2'", "added causes/b: 'B'"]
    >>> summarize(diff_diagrams(old, new))
    'changed causes/a/label; added causes/b'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from fishbone.model import Diagram

__all__ = ["Change", "content_hash", "diff_diagrams", "signals_hash", "summarize"]

_LISTS = ("categories", "causes")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: ``op`` at ``path`` (``causes/c1/label``), with the values before and after."""

    op: Literal["added", "removed", "changed"]
    path: str
    before: Any = None
    after: Any = None

    def __str__(self) -> str:
        if self.op == "changed":
            return f"changed {self.path}: {self.before!r} -> {self.after!r}"
        value = self.after if self.op == "added" else self.before
        label = value.get("label") if isinstance(value, dict) else value
        return f"{self.op} {self.path}: {label!r}"


def _dump(diagram: Diagram) -> dict[str, Any]:
    return diagram.model_dump(mode="json", by_alias=True)


def _diff_fields(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return [
        Change("changed", f"{path}/{key}", old.get(key), new.get(key))
        for key in dict.fromkeys([*old, *new])
        if old.get(key) != new.get(key)
    ]


def _diff_items(
    name: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[Change]:
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    changes: list[Change] = []
    for key, item in after.items():
        if key not in before:
            changes.append(Change("added", f"{name}/{key}", after=item))
        else:
            changes += _diff_fields(f"{name}/{key}", before[key], item)
    changes += [
        Change("removed", f"{name}/{key}", before=item)
        for key, item in before.items()
        if key not in after
    ]
    return changes


def diff_diagrams(old: Diagram, new: Diagram) -> list[Change]:
    """Return the changes that turn ``old`` into ``new``: title, effect, categories, causes, links.

    Categories and causes are matched by id; links by ``source -> target``.

    Examples:
        >>> from fishbone.model import Effect
        >>> a = Diagram(id="d", effect=Effect(label="E"))
        >>> diff_diagrams(a, a)
        []
    """
    a, b = _dump(old), _dump(new)
    changes = _diff_fields("", {"title": a["title"]}, {"title": b["title"]})
    changes += _diff_fields("effect", a["effect"], b["effect"])
    for name in _LISTS:
        changes += _diff_items(name, a[name], b[name])
    links_a = {f"{x['source']}->{x['target']}": x for x in a["links"]}
    links_b = {f"{x['source']}->{x['target']}": x for x in b["links"]}
    changes += _diff_items(
        "links",
        [{"id": k, **v} for k, v in links_a.items()],
        [{"id": k, **v} for k, v in links_b.items()],
    )
    return [Change(c.op, c.path.lstrip("/"), c.before, c.after) for c in changes]


def summarize(changes: list[Change], *, limit: int = 5) -> str:
    """Return a one-line summary of changes, naming at most ``limit`` of them.

    Examples:
        >>> summarize([])
        'no changes'
        >>> summarize([Change("added", f"causes/c{i}") for i in range(7)], limit=2)
        'added causes/c0; added causes/c1; and 5 more'
    """
    if not changes:
        return "no changes"
    parts = [f"{c.op} {c.path}" for c in changes[:limit]]
    if len(changes) > limit:
        parts.append(f"and {len(changes) - limit} more")
    return "; ".join(parts)


def _sha(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(diagram: Diagram) -> str:
    """Return the sha256 of the diagram's canonical JSON (the key of rendered pictures).

    Examples:
        >>> from fishbone.model import Effect
        >>> len(content_hash(Diagram(id="d", effect=Effect(label="E"))))
        64
    """
    return _sha(_dump(diagram))


def signals_hash(diagram: Diagram) -> str:
    """Return a hash of what matching depends on: cause ids, labels, places and signals.

    Votes, status and notes do not change it, so they never re-run matching.

    Examples:
        >>> from fishbone.model import Category, Cause, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="m", label="M")],
        ...     causes=[Cause(id="a", label="A", category="m")],
        ... )
        >>> before = signals_hash(d)
        >>> d.causes[0].votes = 3
        >>> signals_hash(d) == before
        True
    """
    return _sha(
        [
            [c.id, c.label, c.category, c.parent, c.signals]
            for c in sorted(diagram.causes, key=lambda c: c.id)
        ]
    )
