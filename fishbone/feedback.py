r"""Import feedback from CSV, JSON (array) or NDJSON into a columnar :class:`~fishbone.records.FeedbackTable`.

:func:`parse_feedback` is pure (lines or byte lines in, an :class:`ImportResult`
out); :func:`read_feedback` opens a file; :func:`iter_feedback_chunks` yields the
table in chunks so that a million rows are never all Python objects at once.

Every rejected row is reported with its line number and reason (``strict=True``
stops at the first one instead). Duplicate ids: the last row wins and the report
counts the rows it replaced. The score scale is given or guessed, and the report
says which. Cells that look like spreadsheet formulas (``=``, ``+``, ``-``, ``@``)
are plain text here: nothing is ever evaluated. The library never prints; a
``progress(bytes_read, total)`` callback lets a caller draw a progress bar.

Examples:
    >>> result = parse_feedback(
    ...     [
    ...         "id,comment,nps,date\n",
    ...         "a,Slow refund,3,2024-03-01\n",
    ...         "b,=HYPERLINK(1),n/a,2024-03-02\n",
    ...         "a,Slow refund again,2,2024-03-03\n",
    ...     ]
    ... )
    >>> result.table.ids, result.table.scores.tolist()
    (['a'], [2.0])
    >>> print(result.report)
    <string>: 3 rows read, 1 inserted, 1 skipped, 1 duplicate replaced (last wins)
    scale: nps (guessed from the first 3 rows: scores run from 2 to 3 (whole numbers) and the column is called 'nps')
    line 3: score 'n/a' is not a number
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, Literal

from fishbone.exceptions import FeedbackError
from fishbone.feedback_chunks import DEFAULT_RULES, Converter, RowRules
from fishbone.feedback_columns import ColumnPlan, plan_columns
from fishbone.feedback_files import Progress, open_text
from fishbone.feedback_merge import concat_tables, last_wins
from fishbone.feedback_report import ImportReport, ImportResult, Rejection
from fishbone.feedback_sources import (
    BATCH,
    Batch,
    csv_batches,
    decode_lines,
    json_batches,
    ndjson_batches,
)
from fishbone.records import FeedbackTable, Scale

__all__ = [
    "FORMATS",
    "ImportReport",
    "ImportResult",
    "Rejection",
    "RowRules",
    "concat_tables",
    "convert_batches",
    "iter_feedback_chunks",
    "parse_feedback",
    "read_feedback",
]

Format = Literal["csv", "json", "ndjson"]
FORMATS: Final[dict[str, Format]] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}
Lines = Iterable[str] | Iterable[bytes]


def _format_of(path: str, fmt: str | None) -> Format:
    if fmt is not None:
        if fmt not in ("csv", "json", "ndjson"):
            raise FeedbackError(
                f"unknown feedback format {fmt!r}; use csv, json or ndjson"
            )
        return fmt  # type: ignore[return-value]
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise FeedbackError(
            f"cannot tell the format of {path!r} from its extension; name it .csv, .json or .ndjson or pass format="
        )
    return found


def _sniff(first: str) -> Format:
    head = first.lstrip("\ufeff \t\r\n")
    return (
        "json" if head.startswith("[") else "ndjson" if head.startswith("{") else "csv"
    )


def _batches(
    lines: Iterable[str], fmt: Format, source: str, size: int
) -> Iterator[Batch]:
    if fmt == "csv":
        return csv_batches(lines, source=source, size=size)
    if fmt == "ndjson":
        return ndjson_batches(lines, source=source, size=size)
    return json_batches(lines, source=source, size=size)


def _plan(
    batch: Batch, mapping: Mapping[str, str] | None, source: str, report: ImportReport
) -> ColumnPlan:
    plan = plan_columns(batch.header, mapping, source=source)
    report.columns, report.ignored_columns = dict(plan.columns), list(plan.ignored)
    return plan


def _tables(
    lines: Iterable[str],
    *,
    fmt: Format,
    report: ImportReport,
    mapping: Mapping[str, str] | None,
    scale: Scale | str | None,
    date_format: str | None,
    strict: bool,
    size: int,
) -> Iterator[FeedbackTable]:
    return convert_batches(
        _batches(lines, fmt, report.source, size),
        report=report,
        mapping=mapping,
        scale=scale,
        date_format=date_format,
        strict=strict,
    )


def convert_batches(
    batches: Iterable[Batch],
    *,
    report: ImportReport,
    mapping: Mapping[str, str] | None = None,
    scale: Scale | str | None = None,
    date_format: str | None = None,
    strict: bool = False,
    rules: RowRules = DEFAULT_RULES,
) -> Iterator[FeedbackTable]:
    """Turn raw batches (from :mod:`fishbone.feedback_sources`) into tables, filling ``report``.

    The stage under :func:`parse_feedback` and :func:`iter_feedback_chunks`, for a
    caller with its own source of rows (a network stream, values already decoded).
    Each table has the batch's good rows, the last of each repeated id; repeats of
    ids from earlier batches are counted in the report and kept (a store upserts).

    Raises:
        FeedbackError: as :func:`parse_feedback`.

    Examples:
        >>> from fishbone.feedback_sources import object_batches
        >>> report = ImportReport()
        >>> rows = [{"id": "a", "text": "ok"}, {"text": "no id"}]
        >>> tables = convert_batches(
        ...     object_batches(rows), report=report, rules=RowRules(require_ids=True)
        ... )
        >>> [t.ids for t in tables], [str(r) for r in report.rejected]
        ([['a']], ['line 2: id is missing; every record needs one'])
    """
    given = Scale.parse(scale) if isinstance(scale, str) else scale
    converter: Converter | None = None
    width = 0
    seen: set[str] = set()
    for batch in batches:
        if converter is None or len(batch.header) != width:  # JSON keys may appear late
            width = len(batch.header)
            plan = _plan(batch, mapping, report.source, report)
            converter = _new_converter(
                converter, plan, given, date_format, report.source, rules
            )
        table, rejected = converter.convert(batch)
        rejected = sorted([*batch.rejected, *rejected])
        _record(report, batch, rejected, strict)
        report.scale, report.scale_note = converter.scale, converter.scale_note
        table = last_wins(table, batch, rejected, seen, report)
        report.inserted += len(table)
        yield table


def _new_converter(
    old: Converter | None,
    plan: ColumnPlan,
    scale: Scale | None,
    date_format: str | None,
    source: str,
    rules: RowRules,
) -> Converter:
    converter = Converter(
        plan, scale=scale, date_format=date_format, source=source, rules=rules
    )
    if old is not None:
        converter.scale, converter.scale_note, converter.dates = (
            old.scale,
            old.scale_note,
            old.dates,
        )
    return converter


def _record(
    report: ImportReport, batch: Batch, rejected: list[tuple[int, str]], strict: bool
) -> None:
    report.rows_read += len(batch.lines) + len(batch.rejected)
    if rejected and strict:
        line, reason = rejected[0]
        raise FeedbackError(
            f"{report.source}:{line}: {reason}; fix the row, or import without --strict to skip bad rows"
        )
    report.rejected += [Rejection(line, reason) for line, reason in rejected]


def parse_feedback(
    lines: Lines,
    *,
    format: str | None = None,
    source: str = "<string>",
    mapping: Mapping[str, str] | None = None,
    scale: Scale | str | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    strict: bool = False,
) -> ImportResult:
    """Parse feedback from lines of text (or byte lines, decoded as UTF-8 unless ``encoding``).

    Args:
        lines: the file's lines (a JSON array may come in any pieces).
        format: ``csv``, ``json`` or ``ndjson``; None to tell from the first character.
        source: the name used in messages.
        mapping: role -> column, e.g. ``{"text": "comment", "rating:wait": "wait_1_5"}``.
        scale: the score scale (``nps``, ``csat``, ``0-100``...); None to guess.
        encoding: the encoding of byte lines (UTF-8 with or without BOM by default).
        date_format: ``dmy``, ``mdy``, ``ymd`` or a strptime format, for numeric dates.
        strict: fail on the first bad row instead of skipping it.

    Returns:
        The table (last row wins for repeated ids) and the import report.

    Raises:
        FeedbackError: naming source and line, for bytes that do not decode, a file
            that cannot be read as the format, an ambiguous date, a bad mapping, or
            (with ``strict``) the first bad row.

    Examples:
        >>> r = parse_feedback(
        ...     ['{"text": "ok", "stars": 5}', '{"text": "bad", "stars": 1}']
        ... )
        >>> r.report.format, r.report.scale.name, r.table.texts
        ('ndjson', 'stars', ['ok', 'bad'])
    """
    report = ImportReport(source=source)
    chunks = list(
        _iter_lines(
            lines,
            format,
            source,
            mapping,
            scale,
            encoding,
            date_format,
            strict,
            BATCH,
            report,
        )
    )
    table = concat_tables(chunks, scale=report.scale, dedupe=report.duplicates > 0)
    report.inserted = len(table)
    return ImportResult(table, report)


def _iter_lines(
    lines: Lines,
    fmt: str | None,
    source: str,
    mapping: Mapping[str, str] | None,
    scale: Scale | str | None,
    encoding: str | None,
    date_format: str | None,
    strict: bool,
    size: int,
    report: ImportReport,
) -> Iterator[FeedbackTable]:
    text = _as_text(lines, encoding, source)
    first = next(text, None)
    if first is None:
        report.format = fmt or "csv"
        return
    report.format = fmt or _sniff(first)
    yield from _tables(
        _prepend(first, text),
        fmt=_format_of(source, report.format),
        report=report,
        mapping=mapping,
        scale=scale,
        date_format=date_format,
        strict=strict,
        size=size,
    )


def _as_text(lines: Lines, encoding: str | None, source: str) -> Iterator[str]:
    it = iter(lines)
    first = next(it, None)
    if first is None:
        return iter(())
    if isinstance(first, bytes):
        return decode_lines(_prepend(first, it), encoding=encoding, source=source)
    return _prepend(first, it)


def _prepend(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def iter_feedback_chunks(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    scale: Scale | str | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    chunk_size: int = BATCH,
    report: ImportReport | None = None,
) -> Iterator[FeedbackTable]:
    r"""Yield a feedback file as tables of at most ``chunk_size`` rows, reading as it goes.

    Arguments are those of :func:`read_feedback`; ``report`` (optional) is filled in
    as chunks are read. Repeated ids are resolved within a chunk; a repeat of an id
    from an earlier chunk is counted in the report and left to the consumer (a store
    upserts by id, so the last one wins there too). A chunk's ``scale`` is the scale
    known when it was read (guessed from the first chunk with scores).

    Raises:
        FeedbackError: as :func:`read_feedback`.
        OSError: when the file cannot be opened.

    Examples:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = pathlib.Path(tmp) / "f.csv"
        ...     _ = p.write_text("text\n" + "ok\n" * 5, encoding="utf-8")
        ...     [len(t) for t in iter_feedback_chunks(p, chunk_size=2)]
        [2, 2, 1]
    """
    source = os.fspath(path)
    fmt = _format_of(source, format)
    report = report if report is not None else ImportReport()
    report.source, report.format = source, fmt
    with open_text(path, fmt=fmt, encoding=encoding, progress=progress) as pieces:
        yield from _tables(
            pieces,
            fmt=fmt,
            report=report,
            mapping=mapping,
            scale=scale,
            date_format=date_format,
            strict=strict,
            size=chunk_size,
        )


def read_feedback(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    scale: Scale | str | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a feedback file (format from the extension unless ``format`` is given).

    Args:
        path: a ``.csv`` (``.tsv``), ``.json`` (an array) or ``.ndjson`` (``.jsonl``) file.
        format: ``csv``, ``json`` or ``ndjson``; None to tell from the extension.
        mapping: role -> column, as :func:`parse_feedback`.
        scale: the score scale; None to guess (and say so in the report).
        encoding: the file's encoding when it is not UTF-8 (with or without BOM).
        date_format: ``dmy``, ``mdy``, ``ymd`` or a strptime format, for numeric dates.
        strict: fail on the first bad row instead of skipping it.
        progress: called as ``progress(bytes_read, total_bytes)`` while reading.

    Returns:
        The whole table and the import report.

    Raises:
        FeedbackError: naming the file and line: bad encoding (UTF-16 included),
            unreadable format, ambiguous date, bad mapping, or a bad row with ``strict``.
        OSError: when the file cannot be opened.

    Examples:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = pathlib.Path(tmp) / "f.json"
        ...     _ = p.write_text('[{"review": "Great", "csat": 5}]', encoding="utf-8")
        ...     r = read_feedback(p)
        >>> r.table.texts, r.report.scale.name
        (['Great'], 'csat')
    """
    report = ImportReport()
    chunks = list(
        iter_feedback_chunks(
            path,
            format=format,
            mapping=mapping,
            scale=scale,
            encoding=encoding,
            date_format=date_format,
            strict=strict,
            progress=progress,
            report=report,
        )
    )
    table = concat_tables(chunks, scale=report.scale, dedupe=report.duplicates > 0)
    report.inserted = len(table)
    return ImportResult(table, report)
