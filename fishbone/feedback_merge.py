"""Repeated ids: the last row wins, within a chunk and when chunks are joined.

Examples:
    >>> a = FeedbackTable.from_rows([{"id": "x", "text": "old"}])
    >>> b = FeedbackTable.from_rows([{"id": "x", "text": "new"}])
    >>> concat_tables([a, b]).texts
    ['new']
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from fishbone.feedback_chunks import take_rows
from fishbone.feedback_report import ImportReport
from fishbone.feedback_sources import Batch
from fishbone.records import FeedbackTable, Scale

__all__ = ["concat_tables", "last_wins"]


def last_wins(
    table: FeedbackTable,
    batch: Batch,
    rejected: list[tuple[int, str]],
    seen: set[str],
    report: ImportReport,
) -> FeedbackTable:
    """Keep the last row of each id within the chunk; count repeats (earlier chunks too).

    ``seen`` holds the ids of earlier chunks and is updated.

    Examples:
        >>> from fishbone.feedback_sources import Batch
        >>> t = FeedbackTable.from_rows(
        ...     [{"id": "a", "text": "1"}, {"id": "a", "text": "2"}]
        ... )
        >>> report = ImportReport()
        >>> (
        ...     last_wins(t, Batch([], lines=[2, 3]), [], set(), report).texts,
        ...     report.duplicate_ids,
        ... )
        (['2'], [('a', 2)])
    """
    distinct = set(table.ids)
    if len(distinct) == len(table) and seen.isdisjoint(distinct):
        seen |= distinct
        return table
    last = {rid: k for k, rid in enumerate(table.ids)}
    bad = {line for line, _ in rejected}
    lines = [n for n in batch.lines if n not in bad] if bad else batch.lines
    for k, rid in enumerate(table.ids):
        if last[rid] != k or rid in seen:
            report.duplicates += 1
            if len(report.duplicate_ids) < 20:
                report.duplicate_ids.append((rid, lines[k]))
    seen.update(last)
    if len(last) == len(table):
        return table
    return take_rows(table, sorted(last.values()))


def concat_tables(
    tables: Iterable[FeedbackTable], *, scale: Scale | None = None, dedupe: bool = True
) -> FeedbackTable:
    """Join chunks into one table; a later row replaces an earlier one with the same id.

    ``dedupe=False`` skips the id check (when the caller knows ids are unique).

    Examples:
        >>> a = FeedbackTable.from_rows(
        ...     [{"id": "x", "text": "old"}, {"id": "y", "text": "y"}]
        ... )
        >>> b = FeedbackTable.from_rows([{"id": "x", "text": "new"}])
        >>> concat_tables([a, b]).texts
        ['y', 'new']
    """
    parts = list(tables)
    causes = list(dict.fromkeys(c for t in parts for c in t.ratings))
    joined = FeedbackTable(
        ids=[i for t in parts for i in t.ids],
        texts=[x for t in parts for x in t.texts],
        scores=np.concatenate([t.scores for t in parts]) if parts else np.zeros(0),
        scale=scale,
        dates=np.concatenate([t.dates for t in parts])
        if parts
        else np.zeros(0, "datetime64[D]"),
        channels=[x for t in parts for x in t.channels],
        segments=[x for t in parts for x in t.segments],
        tags=[x for t in parts for x in t.tags],
        causes=[x for t in parts for x in t.causes],
        ratings={
            c: np.concatenate(
                [t.ratings.get(c, np.full(len(t), np.nan)) for t in parts]
            )
            for c in causes
        },
    )
    if not dedupe:
        return joined
    last = {rid: k for k, rid in enumerate(joined.ids)}
    if len(last) == len(joined):
        return joined
    return take_rows(joined, sorted(last.values()))
