"""Helpers shared by the format modules: text or lines in, lines out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Final

__all__ = ["TextInput", "join_text", "numbered_lines", "slugify", "unique_id"]

TextInput = str | Iterable[str]
"""What every ``parse_*`` accepts: one string, or lines (with or without line endings)."""

_NEWLINE: Final = re.compile(r"\r\n|\r|\n")
_NOT_SLUG: Final = re.compile(r"[^\w]+")


def join_text(text: TextInput) -> str:
    r"""Return ``text`` as one string, ending each given line with a newline.

    Examples:
        >>> join_text(["a", "b\n"])
        'a\nb\n'
    """
    if isinstance(text, str):
        return text
    return "".join(line if line.endswith("\n") else f"{line}\n" for line in text)


def numbered_lines(text: TextInput) -> Iterator[tuple[int, str]]:
    r"""Yield ``(line number, line)`` pairs, 1-based, without line endings.

    Only ``\n``, ``\r\n`` and ``\r`` end a line (not the other Unicode
    separators :meth:`str.splitlines` knows), so labels keep them.

    Examples:
        >>> list(numbered_lines("a\r\nb"))
        [(1, 'a'), (2, 'b')]
    """
    body = join_text(text).removeprefix("\ufeff")
    parts = _NEWLINE.split(body)
    if parts and parts[-1] == "":
        parts.pop()
    yield from enumerate(parts, start=1)


def slugify(label: str, *, fallback: str = "item") -> str:
    """Return a lower-case id made of the label's letters and digits, joined by ``-``.

    Examples:
        >>> slugify("Frontline support!")
        'frontline-support'
        >>> slugify("???", fallback="cause")
        'cause'
    """
    text = unicodedata.normalize("NFKC", label).casefold()
    slug = _NOT_SLUG.sub("-", text).replace("_", "-").strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug or fallback


def unique_id(base: str, taken: set[str]) -> str:
    """Return ``base``, or ``base-2``, ``base-3``... the first not in ``taken``; add it.

    Examples:
        >>> taken = {"a"}
        >>> unique_id("a", taken), unique_id("a", taken)
        ('a-2', 'a-3')
    """
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate
