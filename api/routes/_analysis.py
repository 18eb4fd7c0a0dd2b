"""Rankings from the store: match once per (diagram signals, dataset revision), rank, cache.

Matching runs over a whole dataset and its ``(record, cause)`` pairs are
stored; they are reused until the diagram's signals (cause ids, labels,
places, signals) or the dataset's revision change. A ranking is cached under a
key made of everything it depends on, so a repeated request is one lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from scipy import sparse

from api.routes._cache import TableCache
from fishbone.matching import match
from fishbone.model import Diagram
from fishbone.ranking import rank
from fishbone.records import FeedbackTable, Mentions
from fishbone.store import LoadedTable, MatchSet, Store, StoredDiagram

__all__ = ["Filters", "Ranking", "rank_from_store", "ranking_key"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Filters:
    """Which records to rank: dates inclusive, one segment, one channel."""

    since: dt.date | None = None
    until: dt.date | None = None
    segment: str | None = None
    channel: str | None = None

    @property
    def empty(self) -> bool:
        """Whether every record is ranked."""
        return self == Filters()


@dataclass(frozen=True, slots=True)
class Ranking:
    """A ranking's rows (JSON-ready) and how many records it ranked."""

    rows: list[dict[str, Any]]
    records: int
    cached: bool


def ranking_key(
    stored: StoredDiagram, dataset: str, revision: int, method: str, filters: Filters
) -> str:
    """Return the cache key of a ranking: sha256 of everything it depends on."""
    parts = [
        stored.content_hash,
        dataset,
        revision,
        method,
        *map(str, (filters.since, filters.until)),
        filters.segment,
        filters.channel,
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _clean(value: Any) -> Any:
    """Return a JSON-safe copy: NaN and infinities become null, numpy scalars plain."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _matches(
    store: Store,
    stored: StoredDiagram,
    dataset: str,
    revision: int,
    full: LoadedTable | None,
) -> MatchSet:
    """Return current matches of the whole dataset, matching (and storing) when stale."""
    found = store.current_matches(
        stored.diagram.id, dataset, signals=stored.signals_hash, revision=revision
    )
    if found is not None:
        return found
    if full is None:
        full = store.load_table(dataset)
    mentions = match(stored.diagram, full.table)
    coo = sparse.coo_array(mentions.matrix)
    found = MatchSet(
        full.pks[coo.row].astype(np.int64),
        coo.col.astype(np.int32),
        list(mentions.cause_ids),
    )
    store.save_matches(
        stored.diagram.id,
        dataset,
        found,
        signals=stored.signals_hash,
        revision=revision,
    )
    return found


def _mentions(diagram: Diagram, loaded: LoadedTable, matches: MatchSet) -> Mentions:
    """Return the mentions of the loaded (maybe filtered) records, columns in diagram order."""
    cause_ids = [c.id for c in diagram.causes]
    column = {c: j for j, c in enumerate(cause_ids)}
    remap = np.array([column.get(c, -1) for c in matches.cause_ids] or [-1], np.int64)
    cols = remap[matches.causes] if len(matches.causes) else np.array([], np.int64)
    n = len(loaded.pks)
    at = np.searchsorted(loaded.pks, matches.pks)
    inside = at < n
    keep = inside & (cols >= 0)
    keep[inside] &= loaded.pks[at[inside]] == matches.pks[inside]
    rows, cols = at[keep], cols[keep]
    data = np.ones(len(rows), np.int8)
    matrix = sparse.csr_array((data, (rows, cols)), shape=(n, len(cause_ids)))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return Mentions(cause_ids, matrix)


def _take(values: Sequence[T], at: list[int]) -> list[T]:
    """Return ``values[i]`` for each ``i`` in ``at`` (one C-level pass)."""
    return list(map(values.__getitem__, at))


def subset(loaded: LoadedTable, filters: Filters) -> LoadedTable:
    """Return the records that pass the filters (the same rules as ``Store.load_table``)."""
    if filters.empty:
        return loaded
    t = loaded.table
    keep = np.ones(len(loaded.pks), bool)
    if filters.since is not None:
        keep &= t.dates >= np.datetime64(filters.since, "D")
    if filters.until is not None:
        keep &= t.dates <= np.datetime64(filters.until, "D")
    for wanted, column in (
        (filters.segment, t.segments),
        (filters.channel, t.channels),
    ):
        if wanted is not None:
            keep &= np.fromiter((v == wanted for v in column), bool, len(column))
    if keep.all():  # a window covering every record: nothing to copy
        return loaded
    at = np.flatnonzero(keep).tolist()
    table = FeedbackTable(
        ids=_take(t.ids, at),
        texts=_take(t.texts, at),
        scores=t.scores[keep],
        scale=t.scale,
        dates=t.dates[keep],
        channels=_take(t.channels, at),
        segments=_take(t.segments, at),
        tags=_take(t.tags, at),
        causes=_take(t.causes, at),
        ratings={k: v[keep] for k, v in t.ratings.items()},
    )
    return LoadedTable(loaded.pks[keep], table)


def rank_from_store(
    store: Store,
    diagram_id: str,
    dataset: str,
    *,
    method: str,
    filters: Filters,
    tables: TableCache | None = None,
) -> Ranking:
    """Return the ranking of a stored diagram's causes by a stored dataset.

    With ``tables``, the dataset's decoded records are reused while its
    revision stays the same; filters then apply in memory. Without, only the
    columns a ranking reads come from the store, filtered in SQL.

    Raises:
        NotFound: when the diagram or the dataset is not stored.
        FeedbackError: when the method is unknown or needs scores the data lacks.
    """
    stored = store.get_diagram(diagram_id)
    revision = store.dataset_revision(dataset)
    key = ranking_key(stored, dataset, revision, method, filters)
    cached = store.cached_ranking(key)
    if cached is not None:
        body = json.loads(cached)
        return Ranking(body["rows"], body["records"], cached=True)
    if tables is None:
        matches = _matches(store, stored, dataset, revision, None)
        loaded = store.load_table(
            dataset,
            since=filters.since,
            until=filters.until,
            segment=filters.segment,
            channel=filters.channel,
            lean=True,
        )
    else:
        full = tables.get(store, dataset, revision)
        matches = _matches(store, stored, dataset, revision, full)
        loaded = subset(full, filters)
    mentions = _mentions(stored.diagram, loaded, matches)
    ranked = rank(stored.diagram, loaded.table, method=method, mentions=mentions)  # type: ignore[arg-type]
    rows = [_clean(r.as_row()) for r in ranked]
    store.save_ranking(
        key,
        json.dumps({"rows": rows, "records": len(loaded.pks)}),
        diagram_id=diagram_id,
        dataset_id=dataset,
        method=method,
    )
    return Ranking(rows, len(loaded.pks), cached=False)
