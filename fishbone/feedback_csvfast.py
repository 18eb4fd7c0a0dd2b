r"""A columnar fast path for CSV blocks: most lines are split by a few C-level passes, not row by row.

In a block of lines, each line with exactly ``width - 1`` delimiters outside quotes,
whose quotes (if any) only enclose whole fields, is one record. Those lines are
unquoted in bulk (delimiters inside quotes become a placeholder, quote characters
are dropped: numpy over the block's bytes), joined and split *once*
(``str.split``); column ``i`` is the slice ``fields[i::width]``. Other lines
(escaped quotes, another field count) go through the ``csv`` module, one
self-contained line each. A block in which some line has an
odd number of quotes (a quoted field that spans lines) is left to the ``csv``
module whole: :func:`split_block` returns None.

The result is exactly what ``csv.reader`` gives for the same lines.

Examples:
    >>> block = ["a,b,c\n", '"x, y",2,3\n', "4,5,6\n", "\n", "7,8\n"]
    >>> cols, keep, bad = split_block(block, width=3, delimiter=",")
    >>> cols
    [['a', 'x, y', '4'], ['b', '2', '5'], ['c', '3', '6']]
    >>> keep, bad
    ([0, 1, 2], [(4, 2)])
"""

from __future__ import annotations

import csv
from operator import itemgetter
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["split_block"]

_QUOTE: Final = ord('"')
_NEWLINE: Final = ord("\n")
_HOLD: Final = "\x1f"
"""Stands in for a delimiter inside a quoted field while a block is split."""

IntArray = npt.NDArray[np.int64]


def _per_line(codes: npt.NDArray[np.uint8], ends: IntArray, byte: int) -> IntArray:
    """Return how many times ``byte`` occurs on each line (lines end at ``ends``)."""
    where = np.flatnonzero(codes == byte)
    return np.bincount(np.searchsorted(ends, where), minlength=len(ends))[: len(ends)]


def split_block(
    lines: list[str], *, width: int, delimiter: str
) -> tuple[list[list[str]], list[int], list[tuple[int, int]]] | None:
    r"""Split a block of CSV lines into columns.

    Args:
        lines: physical lines, each ending with ``"\n"`` (the last may not).
        width: the header's field count.
        delimiter: a one-character delimiter.

    Returns:
        ``(columns, kept, bad)``: the columns of the records with ``width`` fields,
        the index in ``lines`` of each of those records, and ``(index, fields)`` for
        each line with another field count (blank lines are dropped). None when a
        quoted field spans lines, or a ``\r`` is not part of a ``\r\n`` line end: then the
        caller should use the ``csv`` module.

    Examples:
        >>> split_block(['"open\n', 'close"\n'], width=1, delimiter=",") is None
        True
    """
    if not lines[-1].endswith("\n"):
        lines = [*lines[:-1], lines[-1] + "\n"]
    text = "".join(lines)
    if (
        "\r" in text
    ):  # Windows line ends (csv.writer's default); any other \r: csv module
        text = text.replace("\r\n", "\n")  # slow lines keep theirs: csv reads them
        if "\r" in text:
            return None
    codes = np.frombuffer(text.encode("utf-8"), np.uint8)
    ends = np.flatnonzero(codes == _NEWLINE)
    if len(ends) != len(lines):  # pragma: no cover - lines always end at newlines
        return None
    quotes = _per_line(codes, ends, _QUOTE)
    if (quotes % 2).any():
        return None
    fast, inner, qpos = _simple_lines(codes, ends, quotes, ord(delimiter), width, text)
    if len(qpos):  # unquote: inner delimiters become a placeholder, quotes go
        marked = codes.copy()
        marked[inner] = ord(_HOLD)
        keep = np.ones(len(codes), bool)
        keep[qpos] = False
        text = marked[keep].tobytes().decode("utf-8")
    bad: list[tuple[int, int]] = []
    if fast.all():
        columns, kept = _columns(text[:-1], width, delimiter), list(range(len(lines)))
    else:
        columns, kept, bad = _mixed(
            lines, text[:-1].split("\n"), fast, width, delimiter
        )
    if len(inner):
        columns = [_restore(col, delimiter) for col in columns]
    return columns, kept, bad


def _simple_lines(
    codes: npt.NDArray[np.uint8],
    ends: IntArray,
    quotes: IntArray,
    delim: int,
    width: int,
    text: str,
) -> tuple[npt.NDArray[np.bool_], IntArray, IntArray]:
    """Find the lines that split simply: no quotes, or quotes that only enclose whole fields.

    Returns the mask of such lines with ``width`` fields, the positions of delimiters
    inside their quoted fields, and the positions of the quotes to drop (none when
    no such line is quoted).
    """
    dpos = np.flatnonzero(codes == delim)
    qpos = np.flatnonzero(codes == _QUOTE)
    simple = quotes == 0
    inside = np.zeros(len(dpos), bool)
    if len(qpos) and _HOLD not in text:
        opens, closes = qpos[0::2], qpos[1::2]  # every line has an even count
        before, after = codes[np.maximum(opens - 1, 0)], codes[closes + 1]
        whole = ((opens == 0) | (before == delim) | (before == _NEWLINE)) & (
            (after == delim) | (after == _NEWLINE)
        )  # a quote pair around a whole field; escaped quotes ("") fail this
        quoted_ok = quotes > 0
        quoted_ok[np.searchsorted(ends, opens[~whole])] = False
        simple |= quoted_ok
        inside = np.searchsorted(qpos, dpos, side="right") % 2 == 1
    fields = np.bincount(np.searchsorted(ends, dpos[~inside]), minlength=len(ends))
    blank = np.diff(ends, prepend=-1) == 1  # csv skips blank lines: leave them to it
    fast = simple & ~blank & (fields[: len(ends)] == width - 1)
    inner = (
        dpos[inside & fast[np.searchsorted(ends, dpos)]] if inside.any() else dpos[:0]
    )
    return fast, inner, qpos if (fast & (quotes > 0)).any() else qpos[:0]


def _restore(column: list[str], delimiter: str) -> list[str]:
    joined = "\n".join(column)  # no field holds a newline: its line would be slow
    if _HOLD not in joined:
        return column
    return joined.replace(_HOLD, delimiter).split("\n")


def _columns(text: str, width: int, delimiter: str) -> list[list[str]]:
    fields = text.replace("\n", delimiter).split(delimiter)
    return [fields[i::width] for i in range(width)]


def _pick(items: list[str], idx: list[int]) -> list[str]:
    """Return ``items`` at positions ``idx`` (itemgetter is C; a single index is no tuple)."""
    if len(idx) < 2:
        return [items[i] for i in idx]
    return list(itemgetter(*idx)(items))


def _mixed(
    lines: list[str],
    pieces: list[str],
    fast: npt.NDArray[np.bool_],
    width: int,
    delimiter: str,
) -> tuple[list[list[str]], list[int], list[tuple[int, int]]]:
    """Split the fast lines (from ``pieces``, unquoted) and read the others with the csv module."""
    fast_idx = np.flatnonzero(fast)
    slow_idx = np.flatnonzero(~fast).tolist()
    slow_rows = list(csv.reader(_pick(lines, slow_idx), delimiter=delimiter))
    good = [
        (i, row)
        for i, row in zip(slow_idx, slow_rows, strict=True)
        if len(row) == width
    ]
    bad = [
        (i, len(row))
        for i, row in zip(slow_idx, slow_rows, strict=True)
        if row and len(row) != width
    ]
    order = np.concatenate([fast_idx, np.array([i for i, _ in good], np.int64)])
    perm = np.argsort(order, kind="stable")
    joined = "\n".join(_pick(pieces, fast_idx.tolist()))
    fast_cols = (
        _columns(joined, width, delimiter)
        if len(fast_idx)
        else [[] for _ in range(width)]
    )
    columns = []
    slow_rows = [row for _, row in good]
    for j in range(width):
        merged = np.empty(len(order), object)
        merged[:] = fast_cols[j] + list(map(itemgetter(j), slow_rows))
        columns.append(merged[perm].tolist())
    return columns, np.sort(order).tolist(), bad
