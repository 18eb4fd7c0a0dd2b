r"""Reading CSV tables: the columns, rows by column, formula guards and signals."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from fishbone.exceptions import FormatError
from fishbone.formats._text import TextInput, join_text

__all__ = [
    "COLUMNS",
    "Row",
    "guard",
    "join_signals",
    "read_table",
    "split_signals",
    "unguard",
]

COLUMNS: Final = (
    "type",
    "id",
    "label",
    "parent",
    "category",
    "status",
    "votes",
    "owner",
    "signals",
    "notes",
)
"""The columns of a diagram table, in the order ``generate_csv`` writes them."""


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: the line it starts on and its cells by column."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return the cell in ``column``, empty when the table has no such column."""
        return self.cells.get(column, "")


_FORMULA: Final = re.compile(r"'*[=+\-@\t\r]")
_SIGNAL_SPLIT: Final = re.compile(r"((?:\\[\\|]|\\(?![\\|])|[^\\|])*)(?:\||$)")


def read_table(text: TextInput, *, source: str) -> tuple[list[str], list[Row]]:
    r"""Return the header (checked) and the rows that have a cell that is not blank.

    Raises:
        FormatError: for an unknown or repeated column, no ``label`` column,
            broken quoting, or a row with more cells than the header.

    Examples:
        >>> header, rows = read_table("Label,votes\nA,1\n,\n", source="t.csv")
        >>> header, [(r.line, r.get("label"), r.get("notes")) for r in rows]
        (['label', 'votes'], [(2, 'A', '')])
    """
    body = join_text(text).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    rows: list[Row] = []
    try:
        header = _header(next(reader, []), source)
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_row(cells, header, start, source))
            start = reader.line_num + 1
    except csv.Error as exc:
        message = f"broken CSV ({exc}); check the quotes on this line"
        raise FormatError(message, source=source, line=reader.line_num) from None
    return header, rows


def _header(cells: list[str], source: str) -> list[str]:
    """Return the column names, checked."""
    names = [cell.strip().lower() for cell in cells]
    for name in names:
        if name not in COLUMNS:
            message = f"unknown column {name!r}; use only {', '.join(COLUMNS)}"
            raise FormatError(message, source=source, line=1, field=name)
        if names.count(name) > 1:
            message = f"column {name!r} appears twice; keep one"
            raise FormatError(message, source=source, line=1, field=name)
    if "label" not in names:
        message = "the table has no 'label' column; start it with a header row naming its columns"
        raise FormatError(message, source=source, line=1)
    return names


def _row(cells: list[str], header: list[str], line: int, source: str) -> Row:
    """Return one row, its cells by column, without formula guards."""
    if len(cells) > len(header):
        message = (
            f"row has {len(cells)} cells but the header has {len(header)} columns; "
            "quote cells that hold commas"
        )
        raise FormatError(message, source=source, line=line)
    return Row(
        line, {name: unguard(cell) for name, cell in zip(header, cells, strict=False)}
    )


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
