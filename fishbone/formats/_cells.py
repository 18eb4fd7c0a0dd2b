r"""Cell codecs of the CSV table: formula guards and ``|``-joined signals."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = ["guard", "join_signals", "split_signals", "unguard"]

_FORMULA: Final = re.compile(r"'*[=+\-@\t\r]")
_SIGNAL_SPLIT: Final = re.compile(r"((?:\\[\\|]|\\(?![\\|])|[^\\|])*)(?:\||$)")


def guard(cell: str) -> str:
    """Return the cell with an apostrophe in front when a spreadsheet would run it.

    Examples:
        >>> guard("=1+1"), guard("'=1"), guard("ok")
        ("'=1+1", "''=1", 'ok')
    """
    return f"'{cell}" if _FORMULA.match(cell) else cell


def unguard(cell: str) -> str:
    """Return the cell without the apostrophe :func:`guard` put in front.

    Examples:
        >>> unguard("'=1+1"), unguard("''=1"), unguard("'ok")
        ('=1+1', "'=1", "'ok")
    """
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell) else cell


def join_signals(signals: Iterable[str]) -> str:
    r"""Return the phrases joined with ``|``, a literal ``|`` as ``\|`` and ``\`` as ``\\``.

    Examples:
        >>> print(join_signals(["a|b", "c"]))
        a\|b|c
    """
    return "|".join(s.replace("\\", "\\\\").replace("|", "\\|") for s in signals)


def split_signals(cell: str) -> list[str]:
    r"""Return the phrases of a signals cell: split on ``|``; ``\|`` and ``\\`` stand for ``|`` and ``\``.

    Other backslashes are kept, and empty phrases dropped.

    Examples:
        >>> split_signals(r"a\|b||C:\temp")
        ['a|b', 'C:\\temp']
    """
    parts = [m.group(1) for m in _SIGNAL_SPLIT.finditer(cell) if m.group()]
    return [re.sub(r"\\([\\|])", r"\1", part) for part in parts if part]
