"""Reading a dataset's records as columns: one SELECT, the driver's plain rows, numpy arrays.

Examples:
    >>> t = loaded_table(
    ...     [(1, "r1", "slow refund", 3.0, "2025-01-02", None, None, "[]", '["a"]')],
    ...     "nps",
    ... )
    >>> t.pks.tolist(), t.table.causes, str(t.table.dates[0])
    ([1], [('a',)], '2025-01-02')
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from sqlalchemy import Connection, Text, select, type_coerce

from fishbone.records import FeedbackTable, Scale
from fishbone.store.tables import Record

__all__ = ["LoadedTable", "fetch_plain", "loaded_table", "table_query"]

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


def table_query(
    dataset_id: str,
    since: dt.date | None,
    until: dt.date | None,
    segment: str | None,
    channel: str | None,
) -> Any:
    """Return the SELECT of a dataset's table columns, filtered, in insertion order."""
    query = (
        select(
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
        .where(Record.dataset_id == dataset_id)
        .order_by(Record.pk)
    )
    if since is not None:
        query = query.where(Record.date >= since.isoformat())
    if until is not None:
        query = query.where(Record.date <= until.isoformat())
    if segment is not None:
        query = query.where(Record.segment == segment)
    if channel is not None:
        query = query.where(Record.channel == channel)
    return query


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
    columns = list(zip(*rows, strict=True)) if rows else [()] * 9
    pks, ids, texts, scores, dates, channels, segments, tags, causes = columns
    table = FeedbackTable(
        ids=list(ids),
        texts=list(texts),
        scores=np.array([np.nan if s is None else s for s in scores], np.float64),
        scale=Scale.parse(scale) if scale else None,
        dates=np.array(
            [np.datetime64("NaT") if d is None else d for d in dates], "datetime64[D]"
        ),
        channels=list(channels),
        segments=list(segments),
        tags=[_parse_list(t) for t in tags],
        causes=[_parse_list(c) for c in causes],
    )
    return LoadedTable(np.array(pks, np.int64), table)
