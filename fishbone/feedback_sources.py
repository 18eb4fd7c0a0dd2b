r"""Raw rows from CSV, JSON (array) and NDJSON text, streamed in batches with line numbers.

Every reader yields :class:`Batch` objects: a header (the column names seen so far),
rows as lists aligned to it (CSV rows keep their own length, so a short row can be
reported), the line each row starts on, and rows rejected before any column was
read (bad JSON, an element that is not an object). Nothing here knows about roles.

The JSON array reader is incremental: it decodes one element at a time with
``json.JSONDecoder.raw_decode`` over a bounded buffer, so a large array is never
held whole.

Examples:
    >>> [b.columns for b in csv_batches(["id,text\n", "1,hello\n"], source="x.csv")]
    [[['1'], ['hello']]]
    >>> [
    ...     b.columns
    ...     for b in json_batches(
    ...         ['[{"text": "a"},', ' {"text": "b"}]'], source="x.json"
    ...     )
    ... ]
    [[['a', 'b']]]
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from fishbone.exceptions import FeedbackError
from fishbone.feedback_csvfast import split_block

__all__ = [
    "BATCH",
    "Batch",
    "Nested",
    "csv_batches",
    "decode_lines",
    "json_batches",
    "ndjson_batches",
    "object_batches",
]

BATCH: Final = 65_536
"""Rows per batch."""
MAX_ELEMENT: Final = 16 * 1024 * 1024
"""A single JSON element larger than this is refused (keeps memory bounded)."""
_BOM: Final = "\ufeff"
_SPACE: Final = re.compile(r"[ \t\r\n]*")  # JSON whitespace


@dataclass(frozen=True, slots=True)
class Nested:
    """A JSON object found where a plain value belongs (kept hashable for caching)."""

    text: str


@dataclass(slots=True)
class Batch:
    """A batch of raw rows: ``rows[k]`` starts on line ``lines[k]``."""

    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    columns: list[list[Any]] | None = None
    """Set instead of ``rows`` by the CSV fast path: every column, each aligned with ``lines``."""


def decode_lines(
    lines: Iterable[bytes], *, encoding: str | None, source: str
) -> Iterator[str]:
    r"""Decode byte lines (UTF-8, BOM dropped, unless ``encoding`` says otherwise).

    Raises:
        FeedbackError: naming the file and line of the first byte that does not decode.

    Examples:
        >>> list(decode_lines([b"\xef\xbb\xbfa\n", b"b"], encoding=None, source="x"))
        ['a\n', 'b']
    """
    codec = encoding or "utf-8"
    for n, raw in enumerate(lines, start=1):
        try:
            yield raw.decode("utf-8-sig" if n == 1 and codec == "utf-8" else codec)
        except UnicodeDecodeError as exc:
            raise FeedbackError(
                bad_encoding(source, n, raw[exc.start : exc.start + 1], codec)
            ) from None


def bad_encoding(source: str, line: int, byte: bytes, codec: str) -> str:
    r"""Return the message for text that is not in ``codec``.

    Examples:
        >>> print(bad_encoding("a.csv", 3, b"\xe9", "utf-8"))
        a.csv:3: byte 0xe9 is not valid UTF-8; save the file as UTF-8 or pass its encoding (e.g. --encoding cp1252)
    """
    shown = f"byte {byte[0]:#04x}" if byte else "the text"
    codec = (
        "UTF-8"
        if codec.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "utf8")
        else codec
    )
    return f"{source}:{line}: {shown} is not valid {codec}; save the file as UTF-8 or pass its encoding (e.g. --encoding cp1252)"


def _strip_bom(lines: Iterable[str]) -> Iterator[str]:
    it = iter(lines)
    for first in it:
        yield first.removeprefix(_BOM)
        break
    yield from it


def _dialect(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def csv_batches(
    lines: Iterable[str], *, source: str, size: int = BATCH
) -> Iterator[Batch]:
    r"""Yield CSV rows in batches; the first non-blank line is the header.

    The delimiter is the most frequent of ``,``, ``;``, tab and ``|`` in the header.
    Blocks of simple lines are split column-wise (:mod:`fishbone.feedback_csvfast`);
    the ``csv`` module reads the rest, so quoted fields may span lines.

    Raises:
        FeedbackError: when the text is not CSV the ``csv`` module can read.

    Examples:
        >>> b = next(csv_batches(["a;b\n", '1;"x\n', 'y"\n', "2;z\n"], source="x"))
        >>> b.rows, b.lines
        ([['1', 'x\ny'], ['2', 'z']], [2, 4])
    """
    it = iter(lines)
    line = 0
    for first in it:
        line += 1
        if first.strip():
            break
    else:
        return
    delimiter = _dialect(first)
    try:
        header = [
            h.strip()
            for h in next(csv.reader([first.removeprefix(_BOM)], delimiter=delimiter))
        ]
    except csv.Error as exc:  # pragma: no cover - the csv module accepts any one line
        raise FeedbackError(
            f"{source}:{line}: {exc}; check the quoting of the header"
        ) from None
    empty = True
    while block := list(itertools.islice(it, size)):
        batch, line = _csv_block(block, it, header, delimiter, line, source)
        if batch.lines or batch.rejected:
            empty = False
            yield batch
    if empty:  # a header alone still says which columns there are
        yield Batch(header)


def _csv_block(
    block: list[str],
    rest: Iterator[str],
    header: list[str],
    delimiter: str,
    line: int,
    source: str,
) -> tuple[Batch, int]:
    """Read one block (line = the last line before it); return the batch and the last line read."""
    width = len(header)
    try:
        split = split_block(block, width=width, delimiter=delimiter)
    except (
        csv.Error
    ):  # e.g. a field over the csv module's limit: let the slow path name the line
        split = None
    if split is not None:
        columns, kept, bad = split
        rejected = [(line + 1 + i, _field_count(n, width)) for i, n in bad]
        batch = Batch(
            header,
            lines=[line + 1 + k for k in kept],
            rejected=rejected,
            columns=columns,
        )
        return batch, line + len(block)
    reader = csv.reader(itertools.chain(block, rest), delimiter=delimiter)
    batch, end = Batch(header), 0
    try:
        while end < len(block):  # the last record may continue past the block
            row = next(reader, None)
            if (
                row is None
            ):  # pragma: no cover - the block's own lines always come first
                break
            start, end = end + 1, reader.line_num
            if row:
                batch.rows.append(row)
                batch.lines.append(line + start)
    except csv.Error as exc:
        raise FeedbackError(
            f"{source}:{line + reader.line_num}: {exc}; check the quoting of this row"
        ) from None
    return batch, line + end


def _field_count(n: int, width: int) -> str:
    return (
        f"row has {n} fields but the header has {width}; check quoting and delimiters"
    )


class _Objects:
    """Collects JSON objects and turns each batch of them into columns over a growing header.

    Columns are built per key at flush (a C-level pass each), not per row. A
    ``ratings`` object becomes one ``rating:<cause>`` column per cause, as a CSV has.
    """

    def __init__(self, size: int) -> None:
        self.header: list[str] = []
        self.known: dict[str, int] = {}
        self.size = size
        self.objs: list[dict[str, Any]] = []
        self.lines: list[int] = []
        self.rejected: list[tuple[int, str]] = []

    @property
    def pending(self) -> bool:
        """Whether anything was added since the last flush."""
        return bool(self.objs or self.rejected)

    def add(self, line: int, obj: object) -> Batch | None:
        if type(obj) is dict:
            if not obj.keys() <= self.known.keys():
                self._grow(obj)
            self.objs.append(obj)
            self.lines.append(line)
        else:
            self.rejected.append(
                (line, f"element is a JSON {_json_kind(obj)}, not an object")
            )
        if len(self.objs) + len(self.rejected) < self.size:
            return None
        return self.flush()

    def _grow(self, obj: dict[str, Any]) -> None:
        for key in obj:  # in the object's order, so the header is deterministic
            if key not in self.known:
                self.known[key] = len(self.header)
                self.header.append(key)

    def flush(self) -> Batch:
        """Return the batch so far as columns (padded to the final header) and start a new one."""
        objs, lines, rejected = self.objs, self.lines, self.rejected
        self.objs, self.lines, self.rejected = [], [], []
        if "ratings" in self.known:
            objs = self._flatten(objs, lines, rejected)
        columns = []
        for key in self.header:
            column = [o.get(key) for o in objs]
            kinds = set(map(type, column))
            if list in kinds or dict in kinds:
                column = [_plain(v) for v in column]
            columns.append(column)
        return Batch(list(self.header), lines=lines, rejected=rejected, columns=columns)

    def _flatten(
        self,
        objs: list[dict[str, Any]],
        lines: list[int],
        rejected: list[tuple[int, str]],
    ) -> list[dict[str, Any]]:
        """Spread ``ratings`` objects into ``rating:<cause>`` keys; reject other ratings values."""
        if self.header.count("ratings"):
            self.header.remove("ratings")
            self.known = {k: i for i, k in enumerate(self.header)}
            self.known["ratings"] = -1
        kept: list[dict[str, Any]] = []
        kept_lines: list[int] = []
        for obj, line in zip(objs, lines, strict=True):
            value = obj.get("ratings")
            if type(value) is dict:
                obj = _flat_ratings(obj)
                if not obj.keys() <= self.known.keys():
                    self._grow(obj)
            elif value is not None:
                rejected.append(
                    (line, "ratings is not an object of cause id -> number")
                )
                continue
            kept.append(obj)
            kept_lines.append(line)
        rejected.sort()
        lines[:] = kept_lines
        return kept


def _json_kind(value: object) -> str:
    return {list: "list", str: "string", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def _flat_ratings(obj: dict[str, Any]) -> dict[str, Any]:
    """``{"ratings": {"wait": 2}}`` -> ``{"rating:wait": 2}`` (the column a CSV would have)."""
    flat = {k: v for k, v in obj.items() if k != "ratings"}
    for cause, value in obj["ratings"].items():
        flat[f"rating:{cause}"] = value
    return flat


def object_batches(items: Iterable[object], *, size: int = BATCH) -> Iterator[Batch]:
    """Yield decoded JSON values (records) in batches; a record's "line" is its position, from 1.

    For values already decoded, e.g. a JSON array held in memory.

    Examples:
        >>> [(b.header, b.columns, b.rejected) for b in object_batches([{"a": 1}, 2])]
        [(['a'], [[1]], [(2, 'element is a JSON int, not an object')])]
        >>> next(object_batches([{"ratings": {"wait": 2}}, {"ratings": 3}])).columns
        [[2]]
    """
    objects = _Objects(size)
    for n, obj in enumerate(items, start=1):
        if done := objects.add(n, obj):
            yield done
    if objects.pending:
        yield objects.flush()


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return Nested(json.dumps(value, ensure_ascii=False))
    return value


def ndjson_batches(
    lines: Iterable[str], *, source: str, size: int = BATCH
) -> Iterator[Batch]:
    """Yield one row per non-blank line; a line that is not a JSON object is rejected.

    Examples:
        >>> [
        ...     (b.columns, b.rejected)
        ...     for b in ndjson_batches(['{"a": 1}', "oops"], source="x")
        ... ]
        [([[1]], [(2, 'invalid JSON: Expecting value at column 1')])]
    """
    objects = _Objects(size)
    for n, line in enumerate(_strip_bom(lines), start=1):
        if not line.strip():
            continue
        try:
            obj = _decode_line(line)
        except json.JSONDecodeError as exc:
            objects.rejected.append(
                (n, f"invalid JSON: {exc.msg} at column {exc.colno}")
            )
            continue
        if done := objects.add(n, obj):
            yield done
    if objects.pending:
        yield objects.flush()


_SCAN: Final[Callable[[str, int], tuple[Any, int]]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _decode_line(line: str) -> Any:
    r"""``json.loads(line)``, minus its per-call overhead for the common line (a value, then the newline).

    Examples:
        >>> _decode_line('{"a": 1}\n'), _decode_line(" [1] ")
        ({'a': 1}, [1])
    """
    try:
        obj, end = _SCAN(line, 0)
    except StopIteration:  # leading space, or not JSON: let json.loads say which
        return json.loads(line)
    if end == len(line) or line[end:].isspace():
        return obj
    return json.loads(line)  # raises "Extra data" with its column


class _Stream:
    """A text buffer over chunks, tracking the line number of its read position."""

    def __init__(self, chunks: Iterable[str], source: str) -> None:
        self.chunks = iter(chunks)
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.source = source

    def more(self) -> bool:
        if self.eof:
            return False
        if self.pos > 1 << 16:
            self.buf, self.pos = self.buf[self.pos :], 0
        for chunk in self.chunks:
            self.buf += chunk
            return True
        self.eof = True
        return False

    def skip(self) -> str:
        """Skip whitespace; return the next character ('' at the end)."""
        while True:
            end = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            self.line += self.buf.count("\n", self.pos, end)
            self.pos = end
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def fail(self, message: str) -> FeedbackError:
        return FeedbackError(f"{self.source}:{self.line}: {message}")


def json_batches(
    chunks: Iterable[str], *, source: str, size: int = BATCH
) -> Iterator[Batch]:
    r"""Yield the elements of a top-level JSON array, decoded one at a time.

    Raises:
        FeedbackError: when the text is not a JSON array, naming the line.

    Examples:
        >>> b = next(json_batches(['[{"a": 1},\n', "2]"], source="x"))
        >>> b.columns, b.rejected
        ([[1]], [(2, 'element is a JSON int, not an object')])
    """
    stream = _Stream(_strip_bom(chunks), source)
    if stream.skip() != "[":
        raise stream.fail(
            "a JSON feedback file must be an array of objects ([{...}, ...]); use NDJSON for one object per line"
        )
    stream.pos += 1
    objects = _Objects(size)
    decoder = json.JSONDecoder()
    char = stream.skip()
    while char != "]":
        if not char:
            raise stream.fail("the JSON array is not closed; the file may be truncated")
        line, obj = stream.line, _element(stream, decoder)
        if done := objects.add(line, obj):
            yield done
        char = _next_element(stream)
    if objects.pending:
        yield objects.flush()


def _next_element(stream: _Stream) -> str:
    """Step over the comma after an element; return ']' at the end, else the next element's first character."""
    char = stream.skip()
    if char == ",":
        stream.pos += 1
        char = stream.skip()
        if char == "]":
            raise stream.fail(
                "invalid JSON: a comma before ']'; remove the trailing comma"
            )
    elif char and char != "]":
        raise stream.fail(
            f"invalid JSON: expected ',' or ']' after an element, found {char!r}"
        )
    return char


def _element(stream: _Stream, decoder: json.JSONDecoder) -> Any:
    while True:
        try:
            obj, end = decoder.raw_decode(stream.buf, stream.pos)
        except json.JSONDecodeError as exc:
            if len(stream.buf) - stream.pos > MAX_ELEMENT or not stream.more():
                where = stream.line + stream.buf.count("\n", stream.pos, exc.pos)
                raise FeedbackError(
                    f"{stream.source}:{where}: invalid JSON: {exc.msg}; fix the file (a JSON array cannot be read past a syntax error)"
                ) from None
            continue
        if (
            end < len(stream.buf) or not stream.more()
        ):  # a number may continue in the next chunk
            stream.line += stream.buf.count("\n", stream.pos, end)
            stream.pos = end
            return obj
