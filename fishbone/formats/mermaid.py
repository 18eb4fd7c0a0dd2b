r"""Mermaid ``ishikawa`` diagrams (``.mmd``), export and import.

Mermaid (v11.12.3+) draws a fishbone from indented lines::

    ishikawa-beta
        Blurry photo
            Process
                Out of focus
            User
                Shaky hands

The keyword is ``ishikawa-beta`` (``ishikawa`` is accepted too, in any case).
The first line after it is the effect; every later line is a child of the
nearest line above it that is indented less, so any indentation works (a tab
counts as one character, like a space). Depth 1 lines are categories, depth 2
causes, deeper ones sub-causes. Lines whose text starts with ``%%`` are
comments, and a YAML front-matter block (``---`` ... ``---``) at the top is
skipped. Ids are made from the labels, as for outline text.

A label is the rest of its line, trimmed, with no quoting. What Mermaid would
read differently is written as an entity code (``#35;``, ``#quot;``), which
Mermaid shows as the character: a ``#`` that starts ``#name;``, ``&``, ``<``
and ``>`` (which Mermaid's HTML sanitiser would otherwise eat, so labels stay
text, never markup), line breaks, a leading ``%`` (``%%`` starts a comment), a
leading word ``ishikawa`` (the keyword), leading and trailing whitespace (which
Mermaid trims), and a whole label of ``[]`` (Mermaid's empty gap). An empty
label is written as ``[]``. :func:`parse_mermaid` decodes entity codes, so labels come
back exactly.

What Mermaid cannot hold: ids, the title, the effect's kind (it reads back as
``problem``), cause status, votes, signals, notes and owner, and cross-links.

Examples:
    >>> d = parse_mermaid("ishikawa-beta\n  Slow app\n    Network\n      Lag #35;5\n")
    >>> d.effect.label, d.categories[0].label, d.causes[0].label
    ('Slow app', 'Network', 'Lag #5')
    >>> print(generate_mermaid(d), end="")
    ishikawa-beta
        Slow app
            Network
                Lag #5
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Final

from fishbone.exceptions import FormatError
from fishbone.formats._text import TextInput, numbered_lines
from fishbone.formats._tree import diagram_from_tree, nest, walk
from fishbone.model import Diagram

__all__ = ["KEYWORD", "generate_mermaid", "parse_mermaid"]

KEYWORD: Final = "ishikawa-beta"
"""The keyword :func:`generate_mermaid` writes on the first line."""

_HEADER: Final = re.compile(r"ishikawa(?:-beta)?(?![\w])", re.IGNORECASE)
_ENTITY: Final = re.compile(r"#(\w+);", re.ASCII)
_RISKY_START: Final = re.compile(r"%|ishikawa\b", re.IGNORECASE)
_INDENT: Final = "    "
_CODED: Final = frozenset("&<>\r\n")


def parse_mermaid(
    text: TextInput, *, source: str = "<string>", diagram_id: str | None = None
) -> Diagram:
    r"""Return the diagram in a Mermaid ``ishikawa`` definition.

    Args:
        text: the Mermaid text, as one string or as lines.
        source: the file name to put in errors.
        diagram_id: the diagram's id; by default the effect label's slug.

    Returns:
        The diagram, with ids made from the labels and kind ``problem``.

    Raises:
        FormatError: when the text does not start with ``ishikawa-beta`` (or
            ``ishikawa``) or has no effect line.

    Examples:
        >>> d = parse_mermaid(["ishikawa", "Late trains", "Staff", "  Sick leave"])
        >>> d.id, d.categories[0].id, d.causes[0].label
        ('late-trains', 'staff', 'Sick leave')
        >>> parse_mermaid("flowchart LR\n  a --> b", source="x.mmd")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FormatError: x.mmd:1: expected 'ishikawa-beta', found 'flowchart LR'; start the file with ishikawa-beta
    """
    lines = _content(numbered_lines(text))
    header_line, rest = _header(lines, source)
    items = [(len(indent), label, n) for n, indent, label in rest]
    if not items:
        message = "the diagram has no effect; write it on the line after ishikawa-beta"
        raise FormatError(message, source=source, line=header_line)
    base = items[0][0]
    nodes = nest((max(level - base, 1), label, n) for level, label, n in items[1:])
    return diagram_from_tree(items[0][1], nodes, diagram_id=diagram_id)


def generate_mermaid(diagram: Diagram) -> str:
    r"""Return the diagram as a Mermaid ``ishikawa-beta`` definition, 4 spaces per level.

    Examples:
        >>> from fishbone.model import Category, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="  100% uptime"),
        ...     categories=[Category(id="m", label='Say "hi" #1;')],
        ... )
        >>> print(generate_mermaid(d), end="")
        ishikawa-beta
            #32; 100% uptime
                Say "hi" #35;1;
    """
    out = [KEYWORD, f"{_INDENT}{_escape(diagram.effect.label)}"]
    out.extend(
        f"{_INDENT * (depth + 1)}{_escape(label)}" for depth, label in walk(diagram)
    )
    return "\n".join(out) + "\n"


def _content(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str, str]]:
    """Yield ``(line number, indent, text)`` for lines that are not blank, comments or front matter."""
    in_front_matter = False
    for number, line in lines:
        text = line.strip()
        if number == 1 and text == "---":
            in_front_matter = True
        elif in_front_matter:
            in_front_matter = text != "---"
        elif text and not text.startswith("%%"):
            indent = line[: len(line) - len(line.lstrip())]
            yield number, indent, _unescape(text)


def _header(
    lines: Iterator[tuple[int, str, str]], source: str
) -> tuple[int, Iterator[tuple[int, str, str]]]:
    """Check the ``ishikawa`` keyword line; return its number and the lines after it."""
    first = next(lines, None)
    if first is None:
        message = "the text is empty; start it with ishikawa-beta and the effect"
        raise FormatError(message, source=source, line=1)
    number, _, text = first
    keyword = _HEADER.match(text)
    if keyword is None:
        message = f"expected {KEYWORD!r}, found {text!r}; start the file with {KEYWORD}"
        raise FormatError(message, source=source, line=number)
    tail = text[keyword.end() :]
    if tail.strip():
        indent = tail[: len(tail) - len(tail.lstrip())]
        return number, _chain((number, indent, tail.strip()), lines)
    return number, lines


def _chain(
    head: tuple[int, str, str], rest: Iterator[tuple[int, str, str]]
) -> Iterator[tuple[int, str, str]]:
    """Yield ``head``, then ``rest``."""
    yield head
    yield from rest


def _escape(label: str) -> str:
    """Return the label as Mermaid text that reads back as exactly this label."""
    if label == "":
        return "[]"
    text = _ENTITY.sub(lambda m: f"#35;{m.group(1)};", label)
    text = "".join(_code(ch) if ch in _CODED else ch for ch in text)
    if text == "[]" or _RISKY_START.match(text):
        text = _code(text[0]) + text[1:]
    return _escape_edges(text)


def _escape_edges(text: str) -> str:
    """Return ``text`` with a leading and a trailing space written as entity codes."""
    if text[:1].isspace() or text[:1] == "\ufeff":
        text = _code(text[0]) + text[1:]
    if text[-1:].isspace() or text[-1:] == "\ufeff":
        text = text[:-1] + _code(text[-1])
    return text


def _code(char: str) -> str:
    """Return Mermaid's entity code for one character (``#35;`` for ``#``)."""
    return f"#{ord(char)};"


def _unescape(text: str) -> str:
    """Return the label a Mermaid line shows: entity codes decoded, ``[]`` empty."""
    if text == "[]":
        return ""
    return _ENTITY.sub(_decode, text)


def _decode(match: re.Match[str]) -> str:
    """Return the character an entity code stands for, or the code unchanged."""
    name = match.group(1)
    if name.isdigit():
        number = int(name)
        return chr(number) if _is_char(number) else match.group()
    decoded = html.unescape(f"&{name};")
    return match.group() if decoded.startswith("&") and decoded != "&" else decoded


def _is_char(number: int) -> bool:
    """Return whether ``number`` is a Unicode scalar value other than NUL."""
    return 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF
