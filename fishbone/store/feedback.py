"""Stored feedback: datasets and records (idempotent on external id).

Records arrive in batches, as rows or as a :class:`~fishbone.records.FeedbackTable`;
each batch is one short transaction that inserts new external ids, updates the
ones already stored (the last send wins) and bumps the dataset's ``revision``,
which matches and cached rankings (:mod:`fishbone.store.matches`) remember.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import repeat
from math import isnan
from operator import itemgetter
from typing import Any, Final, TypedDict

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fishbone.records import FeedbackTable, Scale
from fishbone.store.columns import (
    LoadedTable,
    fetch_plain,
    loaded_table,
    ranking_table,
    table_query,
)
from fishbone.store.engine import StoreBase, now
from fishbone.store.errors import AlreadyExists, NotFound
from fishbone.store.tables import Dataset, MatchRun, RankingCache, Record

__all__ = ["DatasetInfo", "FeedbackMixin", "IngestCounts", "LoadedTable", "RecordRow"]

_EMPTY: Final = "[]"


class RecordRow(TypedDict):
    """A validated feedback record, ready to store (``ext_id`` is the external id)."""

    ext_id: str
    text: str
    score: float | None
    date: str | None
    channel: str | None
    segment: str | None
    tags: list[str]
    causes: list[str]
    ratings: dict[str, float] | None


_COLUMNS: Final = tuple(RecordRow.__annotations__)  # after dataset_id, as in _params


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """A dataset: its id, name, scale, revision and number of records."""

    id: str
    name: str
    scale: str | None
    revision: int
    records: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class IngestCounts:
    """How many records one batch inserted and updated."""

    inserted: int
    updated: int


def _dates_text(dates: npt.NDArray[np.datetime64]) -> list[str | None]:
    """Return each date as ``YYYY-MM-DD`` (None for NaT), formatting each distinct day once."""
    days, where = np.unique(np.asarray(dates, "datetime64[D]"), return_inverse=True)
    text = [None if d == "NaT" else d for d in np.datetime_as_string(days).tolist()]
    return list(map(text.__getitem__, where.tolist()))


def _json_lists(values: Sequence[tuple[str, ...]]) -> list[str]:
    """Return each tuple as JSON list text, dumping each distinct tuple once."""
    text = {v: json.dumps(v, ensure_ascii=False) if v else _EMPTY for v in set(values)}
    return [text[v] for v in values]


def _ratings_json(
    ratings: Mapping[str, npt.NDArray[np.float64]], n: int
) -> list[str | None]:
    """Return each record's finite ratings as a JSON object, None where it has none."""
    found: dict[int, dict[str, float]] = {}
    for cause, column in ratings.items():
        if len(column) != n:
            raise ValueError(
                f"ratings[{cause!r}] has {len(column)} entries, expected {n}"
            )
        values = column.tolist()
        for i in np.flatnonzero(np.isfinite(column)).tolist():
            found.setdefault(i, {})[cause] = values[i]
    out: list[str | None] = [None] * n
    for i, rated in found.items():
        out[i] = json.dumps(rated)
    return out


def _params(dataset_id: str, table: FeedbackTable) -> list[tuple[Any, ...]]:
    """Return one ``(dataset_id, *_COLUMNS)`` tuple per record, built column by column."""
    n = len(table)
    columns = (
        repeat(dataset_id, n),
        table.ids,
        table.texts,
        [None if isnan(s) else s for s in table.scores.tolist()],
        _dates_text(table.dates),
        table.channels,
        table.segments,
        _json_lists(table.tags),
        _json_lists(table.causes),
        _ratings_json(table.ratings, n),
    )
    return list(zip(*columns, strict=True))


def _rows_table(rows: Sequence[RecordRow]) -> FeedbackTable:
    """Return rows as a table, a column at a time (``FeedbackTable.from_rows`` is 8x slower)."""

    def column(key: str) -> list[Any]:
        return list(map(itemgetter(key), rows))

    ratings: dict[str, npt.NDArray[np.float64]] = {}
    for i, rated in enumerate(column("ratings")):
        for cause, value in (rated or {}).items():
            ratings.setdefault(cause, np.full(len(rows), np.nan))[i] = value
    return FeedbackTable(
        ids=column("ext_id"),
        texts=column("text"),
        scores=np.array(column("score"), np.float64),  # None -> NaN
        dates=np.array(column("date"), "datetime64[D]"),  # None -> NaT
        channels=column("channel"),
        segments=column("segment"),
        tags=list(map(tuple, column("tags"))),
        causes=list(map(tuple, column("causes"))),
        ratings=ratings,
    )


def _count_new(conn: Connection, dataset_id: str, last: int) -> int:
    """Count the dataset's records keyed above ``last``: the ones an upsert inserted.

    New rows get keys above the largest before, and no one else writes the
    dataset meanwhile (see ``_bump``): far cheaper than looking every id up.
    """
    new = select(func.count()).select_from(Record).where(Record.pk > last)
    if conn.dialect.name != "sqlite":
        # Writers of other datasets commit meanwhile on PostgreSQL. SQLite has one
        # writer, and there this filter would scan the dataset instead of the new keys.
        new = new.where(Record.dataset_id == dataset_id)
    return int(conn.execute(new).scalar_one())


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class FeedbackMixin(StoreBase):
    """Feedback storage; part of :class:`~fishbone.store.Store`."""

    def create_dataset(
        self, dataset_id: str, *, name: str, scale: str | None, actor: str
    ) -> DatasetInfo:
        """Create an empty dataset.

        Raises:
            FeedbackError: when ``scale`` names no scale.
            AlreadyExists: when a dataset has that id.
        """
        if scale is not None:
            scale = Scale.parse(scale).name
        stamp = now()
        with self._write() as conn:
            if conn.execute(select(Dataset.id).where(Dataset.id == dataset_id)).first():
                raise AlreadyExists("dataset", dataset_id)
            conn.execute(
                insert(Dataset).values(
                    id=dataset_id,
                    name=name,
                    scale=scale,
                    revision=0,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
            self._audit(conn, actor, "dataset.create", dataset_id, scale=scale)
        return self.get_dataset(dataset_id)

    def _infos(self, conn: Connection, where: Any = None) -> list[DatasetInfo]:
        count = (
            select(func.count())
            .select_from(Record)
            .where(Record.dataset_id == Dataset.id)
            .scalar_subquery()
        )
        query = select(
            Dataset.id,
            Dataset.name,
            Dataset.scale,
            Dataset.revision,
            count,
            Dataset.created_at,
            Dataset.updated_at,
        ).order_by(Dataset.id)
        if where is not None:
            query = query.where(where)
        return [
            DatasetInfo(i, name, scale, rev, int(n), _utc(c), _utc(u))
            for i, name, scale, rev, n, c, u in conn.execute(query).all()
        ]

    def dataset_revision(self, dataset_id: str) -> int:
        """Return a dataset's revision without counting its records.

        Raises:
            NotFound: when there is no such dataset.
        """
        with self._read() as conn:
            revision = conn.execute(
                select(Dataset.revision).where(Dataset.id == dataset_id)
            ).scalar()
        if revision is None:
            raise NotFound("dataset", dataset_id)
        return int(revision)

    def list_datasets(self) -> list[DatasetInfo]:
        """Return every dataset, by id."""
        with self._read() as conn:
            return self._infos(conn)

    def get_dataset(self, dataset_id: str) -> DatasetInfo:
        """Return one dataset.

        Raises:
            NotFound: when there is no such dataset.
        """
        with self._read() as conn:
            found = self._infos(conn, Dataset.id == dataset_id)
        if not found:
            raise NotFound("dataset", dataset_id)
        return found[0]

    def delete_dataset(self, dataset_id: str, *, actor: str) -> None:
        """Delete a dataset with its records, matches and cached rankings.

        Raises:
            NotFound: when there is no such dataset.
        """
        with self._write() as conn:
            found = conn.execute(
                delete(Dataset).where(Dataset.id == dataset_id)
            ).rowcount
            if not found:
                raise NotFound("dataset", dataset_id)
            for table in (Record, MatchRun, RankingCache):
                conn.execute(delete(table).where(table.dataset_id == dataset_id))
            self._audit(conn, actor, "dataset.delete", dataset_id)

    def ingest(
        self, dataset_id: str, rows: Sequence[RecordRow], *, actor: str
    ) -> IngestCounts:
        """Store one batch of records in one transaction; a repeated ``ext_id`` updates (last wins).

        The same as :meth:`ingest_table` on the rows as columns (``ext_id`` as id).

        Raises:
            NotFound: when there is no such dataset.
        """
        return self.ingest_table(dataset_id, _rows_table(rows), actor=actor)

    def ingest_table(
        self, dataset_id: str, table: FeedbackTable, *, actor: str
    ) -> IngestCounts:
        """Store a columnar batch of records in one transaction (an id sent again: last wins).

        Ids already stored, or repeated inside ``table``, count as updated. A
        non-empty batch bumps the dataset's revision once and is audited as
        ``dataset.ingest``. NaN scores and ratings and NaT dates are stored as none.

        Raises:
            NotFound: when there is no such dataset.
            ValueError: when a ratings column is not as long as the table.

        Examples:
            >>> import tempfile, pathlib
            >>> from fishbone.store import Store
            >>> t = FeedbackTable.from_rows([{"id": "a"}, {"id": "a", "score": 2}])
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     store = Store(f"sqlite:///{pathlib.Path(tmp) / 'f.db'}")
            ...     _ = store.create_dataset("d", name="D", scale="nps", actor="doc")
            ...     counts = store.ingest_table("d", t, actor="doc")
            ...     scores = [r["score"] for r in store.list_records("d")]
            ...     store.close()
            >>> counts, scores
            (IngestCounts(inserted=1, updated=1), [2.0])
        """
        params = _params(dataset_id, table)  # before taking the writer lock
        with self._write() as conn:
            if not self._bump(conn, dataset_id, changed=bool(params)):
                raise NotFound("dataset", dataset_id)
            if not params:
                return IngestCounts(0, 0)
            inserted = self._upsert(conn, dataset_id, params)
            counts = IngestCounts(inserted, len(params) - inserted)
            self._audit(conn, actor, "dataset.ingest", dataset_id, **asdict(counts))
        return counts

    @staticmethod
    def _bump(conn: Connection, dataset_id: str, *, changed: bool) -> bool:
        """Return whether the dataset exists, bumping its revision if ``changed``.

        The bump locks the dataset's row on PostgreSQL: ingests into one dataset
        take turns there, as all writes do on SQLite.
        """
        if not changed:
            found = select(Dataset.id).where(Dataset.id == dataset_id)
            return conn.execute(found).first() is not None
        bump = (
            update(Dataset)
            .where(Dataset.id == dataset_id)
            .values(revision=Dataset.revision + 1, updated_at=now())
        )
        return bool(conn.execute(bump).rowcount)

    @staticmethod
    def _upsert(
        conn: Connection, dataset_id: str, params: list[tuple[Any, ...]]
    ) -> int:
        """Insert or update ``(dataset_id, *_COLUMNS)`` tuples; return how many were new.

        One executemany: an id sent twice is inserted, then updated (last wins).
        """
        last = conn.execute(select(func.coalesce(func.max(Record.pk), 0))).scalar_one()
        dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
        stmt = dialect_insert(Record)
        stmt = stmt.on_conflict_do_update(
            index_elements=[Record.dataset_id, Record.ext_id],
            set_={name: stmt.excluded[name] for name in _COLUMNS[1:]},
        )
        names = ["dataset_id", *_COLUMNS]
        compiled = stmt.values(dict.fromkeys(names)).compile(dialect=conn.dialect)
        if compiled.positional:
            order = [names.index(n) for n in compiled.positiontup or ()]
            if order != list(range(len(names))):
                params = [tuple(p[i] for i in order) for p in params]
            conn.exec_driver_sql(compiled.string, params)
        else:
            conn.exec_driver_sql(
                compiled.string, [dict(zip(names, p, strict=True)) for p in params]
            )
        return _count_new(conn, dataset_id, last)

    def list_records(
        self, dataset_id: str, *, limit: int = 100, offset: int = 0
    ) -> list[RecordRow]:
        """Return records of a dataset in the order they were first stored.

        Raises:
            NotFound: when there is no such dataset.
        """
        self.get_dataset(dataset_id)
        columns = [getattr(Record, name) for name in RecordRow.__annotations__]
        with self._read() as conn:
            rows = conn.execute(
                select(*columns)
                .where(Record.dataset_id == dataset_id)
                .order_by(Record.pk)
                .limit(limit)
                .offset(offset)
            ).all()
        return [RecordRow(**row._mapping) for row in rows]  # type: ignore[typeddict-item]

    def load_table(
        self,
        dataset_id: str,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        segment: str | None = None,
        channel: str | None = None,
        lean: bool = False,
    ) -> LoadedTable:
        """Return the records of a dataset (optionally filtered) as a columnar table.

        ``since`` and ``until`` are inclusive; records without a date are left out
        when either is given. ``lean`` reads only what a ranking needs (keys, ids,
        texts, scores): dates are then NaT and channels, segments, tags and causes
        empty; less than half the time for 100,000 records.

        Raises:
            NotFound: when there is no such dataset.
        """
        query = table_query(dataset_id, since, until, segment, channel, lean=lean)
        with self._read() as conn:
            scale = conn.execute(
                select(Dataset.scale).where(Dataset.id == dataset_id)
            ).first()
            if scale is None:
                raise NotFound("dataset", dataset_id)
            rows = fetch_plain(conn, query)
        return (ranking_table if lean else loaded_table)(rows, scale[0])
