"""Reading a dataset's records as columns: one SELECT, the driver's plain rows, numpy arrays.

Two reads: :func:`table_query` gives every column a matcher or a filter needs,
or (``lean``) only the four a ranking reads (key, id, text, score), its filters
applied in SQL. Rows become columns through C-level passes
(``map(itemgetter)``, one ``np.array`` per numeric column, each distinct
tags/causes JSON text decoded once), never a Python loop per row.

Examples:
    >>> t = loaded_table(
    ...     [(1, "r1", "slow refund", 3.0, "2025-01-02", None, None, "[]", '["a"]')],
    ...     "nps",
    ... )
    >>> t.pks.tolist(), t.table.causes, str(t.table.dates[0])
    ([1], [('a',)], '2025-01-02')
    >>> r = ranking_table([(4, "r4", "refund", None)], "nps")
    >>> r.pks.tolist(), list(r.table.texts), r.table.scores.tolist()
    ([4], ['refund'], [nan])
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final

import numpy as np
from sqlalchemy import Connection, Text, select, type_coerce

from fishbone.records import FeedbackTable, Scale
from fishbone.store.tables import Record

__all__ = [
    "LoadedTable",
    "fetch_plain",
    "loaded_table",
    "ranking_table",
    "table_query",
]

_EMPTY: Final = "[]"


@dataclass(frozen=True, slots=True)
class LoadedTable:
    """A dataset's records as a :class:`FeedbackTable`, with their store keys."""

    pks: np.ndarray[Any, np.dtype[np.int64]]
    table: FeedbackTable


def _parse_list(text: Any) -> tuple[str, ...]:
    if text is None or text == _EMPTY:
        return ()
    return tuple(json.loads(text) if isinstance(text, str) else text)


def _parse_lists(values: Sequence[Any]) -> list[tuple[str, ...]]:
    """Decode a column of JSON lists, each distinct text once (most are ``'[]'``).

    Examples:
        >>> _parse_lists(["[]", '["a"]', "[]", None, '["a"]'])
        [(), ('a',), (), (), ('a',)]
    """
    try:
        parsed = {text: _parse_list(text) for text in dict.fromkeys(values)}
    except TypeError:  # the driver decoded the JSON already (lists are unhashable)
        return [_parse_list(v) for v in values]
    return list(map(parsed.__getitem__, values))


def _columns(rows: Sequence[Any], width: int) -> list[list[Any]]:
    """Return the columns of ``rows`` (a C-level pass each; ``zip(*rows)`` is 4x slower)."""
    return [list(map(itemgetter(i), rows)) for i in range(width)]


def _filtered(
    query: Any,
    dataset_id: str,
    since: dt.date | None,
    until: dt.date | None,
    segment: str | None,
    channel: str | None,
) -> Any:
    """Return ``query`` restricted to a dataset and the filters, in insertion order."""
    query = query.where(Record.dataset_id == dataset_id).order_by(Record.pk)
    if since is not None:
        query = query.where(Record.date >= since.isoformat())
    if until is not None:
        query = query.where(Record.date <= until.isoformat())
    if segment is not None:
        query = query.where(Record.segment == segment)
    if channel is not None:
        query = query.where(Record.channel == channel)
    return query


def table_query(
    dataset_id: str,
    since: dt.date | None,
    until: dt.date | None,
    segment: str | None,
    channel: str | None,
    *,
    lean: bool = False,
) -> Any:
    """Return the SELECT of a dataset's records, filtered, in insertion order.

    Every column a matcher or a filter needs (for :func:`loaded_table`), or with
    ``lean`` only the four a ranking reads: key, id, text, score (for
    :func:`ranking_table`); dates, channels, segments, tags and causes only
    filter (here, in SQL) or feed the matcher.
    """
    columns = (
        select(Record.pk, Record.ext_id, Record.text, Record.score)
        if lean
        else select(
            Record.pk,
            Record.ext_id,
            Record.text,
            Record.score,
            Record.date,
            Record.channel,
            Record.segment,
            type_coerce(Record.tags, Text),
            type_coerce(Record.causes, Text),
        )
    )
    return _filtered(columns, dataset_id, since, until, segment, channel)


def fetch_plain(conn: Connection, query: Any) -> list[tuple[Any, ...]]:
    """Run ``query`` on the driver's own cursor: plain tuples, no Row objects."""
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    if compiled.positional:
        args: Any = tuple(params[n] for n in compiled.positiontup or ())
    else:
        args = params
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(compiled.string, args)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def loaded_table(rows: Sequence[Any], scale: str | None) -> LoadedTable:
    """Return rows of :func:`table_query` as a :class:`LoadedTable` (columns, not row objects)."""
    pks, ids, texts, scores, dates, channels, segments, tags, causes = _columns(rows, 9)
    table = FeedbackTable(
        ids=ids,
        texts=texts,
        scores=np.array(scores, np.float64),  # None -> NaN
        scale=Scale.parse(scale) if scale else None,
        dates=np.array(
            [np.datetime64("NaT") if d is None else d for d in dates], "datetime64[D]"
        ),
        channels=channels,
        segments=segments,
        tags=_parse_lists(tags),
        causes=_parse_lists(causes),
    )
    return LoadedTable(np.array(pks, np.int64), table)


def ranking_table(rows: Sequence[Any], scale: str | None) -> LoadedTable:
    """Return rows of a lean :func:`table_query` as a :class:`LoadedTable`.

    Its dates are NaT, and channels, segments, tags and causes empty: a
    ranking without recency weights does not read them.
    """
    pks, ids, texts, scores = _columns(rows, 4)
    table = FeedbackTable(
        ids=ids,
        texts=texts,
        scores=np.array(scores, np.float64),  # None -> NaN
        scale=Scale.parse(scale) if scale else None,
    )
    return LoadedTable(np.array(pks, np.int64), table)
