r"""Outline text: the indented list a workshop pastes (``.txt``).

The format::

    Goal: Superior customer experience
    - Processes
      - Refunds take too long
        - Approval needs a manager
    - Systems
      - App logs customers out

- The first non-empty line is the effect. It may start with a marker,
  ``Goal:`` or ``Problem:`` (any case), that sets the effect's kind; without
  one the kind is ``problem``. :func:`generate_outline` always writes the
  marker, so the kind survives a round trip.
- Every other line is one level deeper per indent step: two spaces, a tab, or
  a ``- `` / ``* `` bullet, which may follow indentation (``"  - x"`` is two
  levels deep). Level 1 lines are categories, level 2 causes on their bone,
  deeper levels sub-causes, to any depth. A line may go at most one level
  deeper than the line before it; blank lines are skipped.
- Ids are made from the labels (``"Frontline support"`` -> ``frontline-support``),
  made unique with ``-2``, ``-3``...; the diagram id is the effect's slug unless
  ``diagram_id`` is given.

What outline text cannot hold: ids, the title, cause status, votes, signals,
notes and owner, and cross-links (all are dropped). Labels lose leading and
trailing whitespace, and line breaks inside a label become spaces. An empty
label cannot be written (``fishbone validate`` reports empty labels).

Examples:
    >>> d = parse_outline("Goal: Happy customers\n- Staff\n  - Friendly tone\n")
    >>> d.effect.kind.value, [c.label for c in d.causes]
    ('goal', ['Friendly tone'])
    >>> print(generate_outline(d), end="")
    Goal: Happy customers
    - Staff
      - Friendly tone
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from fishbone.exceptions import FormatError
from fishbone.formats._text import TextInput, numbered_lines
from fishbone.formats._tree import diagram_from_tree, nest, walk
from fishbone.model import Diagram, EffectKind

__all__ = ["generate_outline", "parse_outline"]

_BULLET: Final = re.compile(r"[-*](?:[ \t]+|$)")
_MARKER: Final = re.compile(r"(goal|problem)[ \t]*:[ \t]*", re.IGNORECASE)
_BREAKS: Final = re.compile(r"\s*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]\s*")


def parse_outline(
    text: TextInput, *, source: str = "<string>", diagram_id: str | None = None
) -> Diagram:
    r"""Return the diagram written as outline text.

    Args:
        text: the outline, as one string or as lines.
        source: the file name to put in errors.
        diagram_id: the diagram's id; by default the effect label's slug.

    Returns:
        The diagram, with ids made from the labels.

    Raises:
        FormatError: when the text is empty, a line is indented more than one
            level deeper than the one before, an indent is an odd number of
            spaces, a line after the effect is not indented, or a label is empty.

    Examples:
        >>> d = parse_outline(["Late deliveries", "  People", "    Short staffed"])
        >>> d.id, d.effect.kind.value, d.causes[0].id
        ('late-deliveries', 'problem', 'short-staffed')
        >>> parse_outline(
        ...     "Late deliveries\n- People\n      - Short staffed", source="x.txt"
        ... )
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FormatError: x.txt:3: line is 4 levels deep, 3 deeper than the line before; indent one level (2 spaces, a tab or a bullet) at a time
    """
    lines = ((n, line) for n, line in numbered_lines(text) if line.strip())
    first = next(lines, None)
    if first is None:
        message = "the outline is empty; write the effect on the first line"
        raise FormatError(message, source=source, line=1)
    kind, effect = _effect(first[1])
    if not effect:
        raise FormatError(
            "the effect has no label; name it", source=source, line=first[0]
        )
    items = list(_items(lines, source))
    return diagram_from_tree(effect, nest(items), kind=kind, diagram_id=diagram_id)


def generate_outline(diagram: Diagram) -> str:
    r"""Return the diagram as outline text, with a ``- `` bullet and 2 spaces per level.

    Raises:
        ValueError: when a label is empty (or only whitespace).

    Examples:
        >>> from fishbone.model import Category, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="Late trains"),
        ...     categories=[Category(id="m", label="Machines")],
        ... )
        >>> generate_outline(d)
        'Problem: Late trains\n- Machines\n'
    """
    marker = "Goal" if diagram.effect.kind is EffectKind.GOAL else "Problem"
    out = [f"{marker}: {_one_line(diagram.effect.label)}"]
    out.extend(
        f"{'  ' * (depth - 1)}- {_one_line(label)}" for depth, label in walk(diagram)
    )
    return "\n".join(out) + "\n"


def _effect(line: str) -> tuple[EffectKind, str]:
    """Return the kind and label of the effect line."""
    text = line.strip()
    marker = _MARKER.match(text)
    if marker:
        return EffectKind(marker.group(1).lower()), text[marker.end() :]
    bullet = _BULLET.match(text)
    if bullet:
        text = text[bullet.end() :].strip()
    return EffectKind.PROBLEM, text


def _items(
    lines: Iterator[tuple[int, str]], source: str
) -> Iterator[tuple[int, str, int]]:
    """Yield ``(level, label, line number)`` for the lines after the effect."""
    previous = 0
    for number, line in lines:
        level, label = _level(line, number, source)
        if level == 0:
            message = "only the effect is at the top level; indent this line under it"
            raise FormatError(message, source=source, line=number)
        if level > previous + 1:
            message = (
                f"line is {level} levels deep, {level - previous} deeper than the line "
                "before; indent one level (2 spaces, a tab or a bullet) at a time"
            )
            raise FormatError(message, source=source, line=number)
        if not label:
            message = "the bullet has no label; write one after it or delete the line"
            raise FormatError(message, source=source, line=number)
        previous = level
        yield level, label, number


def _level(line: str, number: int, source: str) -> tuple[int, str]:
    """Return how deep a line is and its label."""
    rest = line.lstrip(" \t")
    indent = line[: len(line) - len(rest)]
    tabs, spaces = indent.count("\t"), indent.count(" ")
    if spaces % 2:
        message = f"indent has {spaces} spaces, an odd number; indent by 2 spaces or a tab per level"
        raise FormatError(message, source=source, line=number)
    bullet = _BULLET.match(rest)
    if bullet:
        return tabs + spaces // 2 + 1, rest[bullet.end() :].strip()
    return tabs + spaces // 2, rest.strip()


def _one_line(label: str) -> str:
    """Return the label on one line, without surrounding whitespace."""
    text = _BREAKS.sub(" ", label).strip()
    if not text:
        raise ValueError(
            "outline text cannot hold an empty label; name every category and cause "
            "(`fishbone validate` lists them)"
        )
    return text
