r"""A parent/child table (``.csv``), the way Minitab and JMP import fishbones.

:func:`generate_csv` writes one row for the effect, one per category and one
per cause, under the header::

    type, id, label, parent, category, status, votes, owner, signals, notes

- ``type`` is ``effect``, ``category`` or ``cause``.
- The ``effect`` row holds the diagram id in ``id``, the effect label, and the
  effect's kind (``goal`` or ``problem``) in ``status``.
- ``category`` rows hold ``id`` and ``label``.
- ``cause`` rows hold every field of a cause: ``parent`` is empty on a bone,
  ``signals`` are joined with ``|`` (a literal ``|`` is written ``\|``, a
  backslash ``\\``), ``votes`` is a number, an empty ``status`` is ``proposed``.

So a table holds everything a diagram holds except its title and cross-links.
It also cannot tell an empty ``owner`` from none (both read as none) and drops
empty signal phrases.

:func:`parse_csv` also reads tables without a ``type`` column: every row is a
cause, categories are made from the distinct ``category`` values in order of
first use (a cause with an empty category takes its parent's), and the effect
is named by the ``effect`` argument. Only ``label`` is required; columns may
come in any order, in any case; an empty ``id`` is made from the label as in
outline text. A ``parent`` (or a typed table's ``category``) that is not an id
may name a cause (category) by its label, when exactly one has that label.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (CSV injection). :func:`generate_csv` writes such a
cell with a leading apostrophe (``'=1+1``), which spreadsheets show as text, and
:func:`parse_csv` removes it, so labels round-trip exactly. A cell that really
starts with apostrophes before such a character gets one more apostrophe.
Other programs show the apostrophe.

Examples:
    >>> d = parse_csv(
    ...     "label,category,parent\nSlow refunds,Process,\nNo manager,,Slow refunds\n"
    ... )
    >>> [(c.id, c.category, c.parent) for c in d.causes]
    [('slow-refunds', 'process', None), ('no-manager', 'process', 'slow-refunds')]
    >>> print(*generate_csv(d).splitlines(), sep="\n")
    type,id,label,parent,category,status,votes,owner,signals,notes
    effect,effect,Effect,,,problem,,,,
    category,process,Process,,,,,,,
    cause,slow-refunds,Slow refunds,,process,proposed,0,,,
    cause,no-manager,No manager,slow-refunds,process,proposed,0,,,
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final

from fishbone.exceptions import FormatError
from fishbone.formats._csv_rows import (
    COLUMNS,
    Row,
    guard,
    join_signals,
    read_table,
    split_signals,
)
from fishbone.formats._text import TextInput, slugify, unique_id
from fishbone.model import Category, Cause, Diagram, Effect, EffectKind, Status

__all__ = ["COLUMNS", "generate_csv", "parse_csv"]

_TYPES: Final = ("effect", "category", "cause")


def parse_csv(
    text: TextInput,
    *,
    source: str = "<string>",
    effect: str = "Effect",
    diagram_id: str | None = None,
) -> Diagram:
    r"""Return the diagram in a parent/child table.

    Args:
        text: the CSV text, as one string or as lines.
        source: the file name to put in errors.
        effect: the effect label, for a table without an ``effect`` row.
        diagram_id: the diagram id, when the table does not give one; by
            default the effect label's slug.

    Returns:
        The diagram; ids, parents and categories are not checked beyond what
        reading needs (see :func:`fishbone.graph.find_problems`).

    Raises:
        FormatError: naming the line (and column) of an unknown or repeated
            column, a missing ``label`` column, broken quoting, a row with too
            many cells, an unknown ``type``, ``status`` or kind, ``votes``
            that is not a whole number >= 0, a second effect row, a cause with
            no category, or a parent label that matches several causes.

    Examples:
        >>> parse_csv("label,category\nLate,People\n", effect="Slow service").id
        'slow-service'
        >>> parse_csv("label,colour\nLate,red\n", source="t.csv")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FormatError: t.csv:1: colour: unknown column 'colour'; use only type, id, label, parent, category, status, votes, owner, signals, notes
    """
    header, rows = read_table(text, source=source)
    if "type" in header:
        return _typed(rows, source, effect=effect, diagram_id=diagram_id)
    return _untyped(rows, source, effect=effect, diagram_id=diagram_id)


def generate_csv(diagram: Diagram) -> str:
    r"""Return the diagram as a typed parent/child table (CRLF line ends, RFC 4180).

    Examples:
        >>> from fishbone.model import Category, Cause, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="Calm", kind="goal"),
        ...     categories=[Category(id="m", label="Methods")],
        ...     causes=[
        ...         Cause(id="a", label="=1+1", category="m", signals=["x|y", "z"])
        ...     ],
        ... )
        >>> generate_csv(d).splitlines()[1:]
        ['effect,d,Calm,,,goal,,,,', 'category,m,Methods,,,,,,,', "cause,a,'=1+1,,m,proposed,0,,x\\|y|z,"]
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    kind = diagram.effect.kind.value
    rows: list[Sequence[str]] = [
        ("effect", diagram.id, diagram.effect.label, "", "", kind, "", "", "", "")
    ]
    rows.extend(("category", c.id, c.label, *[""] * 7) for c in diagram.categories)
    rows.extend(_cause_cells(c) for c in diagram.causes)
    writer.writerows([guard(cell) for cell in row] for row in rows)
    return out.getvalue()


def _cause_cells(cause: Cause) -> tuple[str, ...]:
    """Return the cells of a cause row."""
    signals = join_signals(cause.signals)
    return (
        "cause",
        cause.id,
        cause.label,
        cause.parent or "",
        cause.category,
        cause.status.value,
        str(cause.votes),
        cause.owner or "",
        signals,
        cause.notes,
    )


def _typed(
    rows: list[Row], source: str, *, effect: str, diagram_id: str | None
) -> Diagram:
    """Return the diagram of a table with a ``type`` column."""
    by_type: dict[str, list[Row]] = {t: [] for t in _TYPES}
    for row in rows:
        kind = row.get("type").strip().lower()
        if kind not in by_type:
            message = f"type is {row.get('type')!r}; use effect, category or cause"
            raise FormatError(message, source=source, line=row.line, field="type")
        by_type[kind].append(row)
    head = _effect(by_type["effect"], source, effect=effect, diagram_id=diagram_id)
    taken: set[str] = set()
    cats = [_category(row, source, taken) for row in by_type["category"]]
    rows = by_type["cause"]
    ids = _cause_ids(rows, taken)
    parents = _parents(rows, ids, source)
    causes = [
        _cause(
            row,
            ids[row.line],
            _category_id(row, cats, source),
            parents[row.line],
            source,
        )
        for row in rows
    ]
    return Diagram(id=head[0], effect=head[1], categories=cats, causes=causes)


def _untyped(
    rows: list[Row], source: str, *, effect: str, diagram_id: str | None
) -> Diagram:
    """Return the diagram of a table whose rows are all causes."""
    taken: set[str] = set()
    cats: dict[str, Category] = {}
    for row in rows:
        name = row.get("category")
        if name and name not in cats:
            cats[name] = Category(
                id=unique_id(slugify(name, fallback="category"), taken), label=name
            )
    ids = _cause_ids(rows, taken)
    parents = _parents(rows, ids, source)
    inherited = _inherit_categories(rows, ids, parents, source)
    causes = [
        _cause(
            row, ids[row.line], cats[inherited[row.line]].id, parents[row.line], source
        )
        for row in rows
    ]
    return Diagram(
        id=diagram_id or slugify(effect, fallback="diagram"),
        effect=Effect(label=effect),
        categories=list(cats.values()),
        causes=causes,
    )


def _effect(
    rows: list[Row], source: str, *, effect: str, diagram_id: str | None
) -> tuple[str, Effect]:
    """Return the diagram id and effect of a typed table."""
    if len(rows) > 1:
        message = "a second effect row; keep one row of type effect"
        raise FormatError(message, source=source, line=rows[1].line, field="type")
    if not rows:
        return diagram_id or slugify(effect, fallback="diagram"), Effect(label=effect)
    row = rows[0]
    _only(row, ("id", "label", "status"), source)
    kind = row.get("status").strip().lower() or EffectKind.PROBLEM.value
    if kind not in {k.value for k in EffectKind}:
        message = (
            f"the effect's kind (in column status) is {kind!r}; use goal or problem"
        )
        raise FormatError(message, source=source, line=row.line, field="status")
    label = row.get("label")
    return (
        row.get("id") or diagram_id or slugify(label, fallback="diagram"),
        Effect(label=label, kind=EffectKind(kind)),
    )


def _category(row: Row, source: str, taken: set[str]) -> Category:
    """Return the category of a ``category`` row."""
    _only(row, ("id", "label"), source)
    label = row.get("label")
    cid = row.get("id") or unique_id(slugify(label, fallback="category"), taken)
    taken.add(cid)
    return Category(id=cid, label=label)


def _only(row: Row, allowed: Sequence[str], source: str) -> None:
    """Refuse a value in a column this type of row does not use."""
    for name, value in row.cells.items():
        if value and name not in (*allowed, "type"):
            kind = row.get("type").strip().lower()
            message = (
                f"{kind} rows use only {', '.join(allowed)}; clear column {name!r}"
            )
            raise FormatError(message, source=source, line=row.line, field=name)


def _cause_ids(rows: list[Row], taken: set[str]) -> dict[int, str]:
    """Return each cause row's id by line; an empty id is made from the label."""
    taken.update(row.get("id") for row in rows if row.get("id"))
    return {
        row.line: row.get("id")
        or unique_id(slugify(row.get("label"), fallback="cause"), taken)
        for row in rows
    }


def _parents(
    rows: list[Row], ids: dict[int, str], source: str
) -> dict[int, str | None]:
    """Return each cause row's parent id by line, a parent label resolved to its id."""
    known = set(ids.values())
    by_label: dict[str, list[str]] = {}
    for row in rows:
        by_label.setdefault(row.get("label"), []).append(ids[row.line])
    return {row.line: _parent(row, known, by_label, source) for row in rows}


def _parent(
    row: Row, known: set[str], by_label: dict[str, list[str]], source: str
) -> str | None:
    """Return the parent id of one row: the id given, or the one cause with that label."""
    value = row.get("parent")
    if not value or value in known:
        return value or None
    matches = by_label.get(value, [])
    if len(matches) > 1:
        message = f"parent {value!r} is the label of {len(matches)} causes; give the parent's id instead"
        raise FormatError(message, source=source, line=row.line, field="parent")
    return matches[0] if matches else value


def _category_id(row: Row, cats: list[Category], source: str) -> str:
    """Return the category id of a typed cause row: the id given, or the one category with that label."""
    value = row.get("category")
    if not value:
        message = "cause has no category; fill column 'category' with a category id"
        raise FormatError(message, source=source, line=row.line, field="category")
    if any(cat.id == value for cat in cats):
        return value
    matches = [cat.id for cat in cats if cat.label == value]
    if len(matches) > 1:
        message = f"category {value!r} is the label of {len(matches)} categories; give its id instead"
        raise FormatError(message, source=source, line=row.line, field="category")
    return matches[0] if matches else value


def _inherit_categories(
    rows: list[Row], ids: dict[int, str], parents: dict[int, str | None], source: str
) -> dict[int, str]:
    """Return each row's category value by line; an empty one is taken from the parent."""
    by_id = {ids[row.line]: row for row in rows}
    found: dict[int, str] = {}
    for row in rows:
        current, seen = row, set()
        while not current.get("category") and current.line not in seen:
            seen.add(current.line)
            parent = parents[current.line]
            if parent is None or parent not in by_id:
                message = "cause has no category and no parent to take one from; fill column 'category'"
                raise FormatError(
                    message, source=source, line=row.line, field="category"
                )
            current = by_id[parent]
        if not current.get("category"):
            message = "cause has no category and its parents form a cycle; fill column 'category'"
            raise FormatError(message, source=source, line=row.line, field="category")
        found[row.line] = current.get("category")
    return found


def _cause(row: Row, cid: str, category: str, parent: str | None, source: str) -> Cause:
    """Return the cause of one row."""
    return Cause(
        id=cid,
        label=row.get("label"),
        category=category,
        parent=parent,
        signals=split_signals(row.get("signals")),
        status=_status(row, source),
        votes=_votes(row, source),
        notes=row.get("notes"),
        owner=row.get("owner") or None,
    )


def _status(row: Row, source: str) -> Status:
    """Return the status of a row; empty means proposed."""
    value = row.get("status").strip().lower() or Status.PROPOSED.value
    if value not in {s.value for s in Status}:
        allowed = ", ".join(s.value for s in Status)
        message = f"status is {row.get('status')!r}; use one of {allowed}"
        raise FormatError(message, source=source, line=row.line, field="status")
    return Status(value)


def _votes(row: Row, source: str) -> int:
    """Return the votes of a row; empty means 0."""
    value = row.get("votes").strip() or "0"
    if not value.isascii() or not value.isdigit():
        message = f"votes is {row.get('votes')!r}; write a whole number, 0 or more"
        raise FormatError(message, source=source, line=row.line, field="votes")
    return int(value)
