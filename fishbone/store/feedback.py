"""Stored feedback: datasets and records (idempotent on external id).

Records arrive in batches; each batch is one short transaction that inserts new
external ids, updates the ones already stored (the last send wins) and bumps
the dataset's ``revision``, which matches and cached rankings
(:mod:`fishbone.store.matches`) remember.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, TypedDict

from sqlalchemy import (
    Connection,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fishbone.records import Scale
from fishbone.store.columns import LoadedTable, fetch_plain, loaded_table, table_query
from fishbone.store.engine import StoreBase, now
from fishbone.store.errors import AlreadyExists, NotFound
from fishbone.store.tables import Dataset, MatchRun, RankingCache, Record

__all__ = ["DatasetInfo", "FeedbackMixin", "IngestCounts", "LoadedTable", "RecordRow"]

_EMPTY: Final = "[]"
_COLUMNS: Final = (
    "ext_id",
    "text",
    "score",
    "date",
    "channel",
    "segment",
    "tags",
    "causes",
    "ratings",
)


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


def _json_list(value: list[str]) -> str:
    return json.dumps(value, ensure_ascii=False) if value else _EMPTY


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

        Raises:
            NotFound: when there is no such dataset.
        """
        latest = {row["ext_id"]: row for row in rows}  # last wins inside a batch too
        with self._write() as conn:
            if not conn.execute(
                select(Dataset.id).where(Dataset.id == dataset_id)
            ).first():
                raise NotFound("dataset", dataset_id)
            if not latest:
                return IngestCounts(0, 0)
            existing = self._existing(conn, dataset_id, list(latest))
            self._upsert(conn, dataset_id, list(latest.values()))
            conn.execute(
                update(Dataset)
                .where(Dataset.id == dataset_id)
                .values(revision=Dataset.revision + 1, updated_at=now())
            )
            repeats = len(rows) - len(latest)  # sent twice in one batch: updated
            counts = IngestCounts(len(latest) - existing, existing + repeats)
            self._audit(
                conn,
                actor,
                "dataset.ingest",
                dataset_id,
                inserted=counts.inserted,
                updated=counts.updated,
            )
        return counts

    @staticmethod
    def _existing(conn: Connection, dataset_id: str, ext_ids: list[str]) -> int:
        """Count which of ``ext_ids`` the dataset has, in one statement (one parameter)."""
        if conn.dialect.name == "sqlite":
            sql = (
                "SELECT count(*) FROM records WHERE dataset_id = ? "
                "AND ext_id IN (SELECT value FROM json_each(?))"
            )
            params: Any = (dataset_id, json.dumps(ext_ids))
        else:
            sql = (
                "SELECT count(*) FROM records WHERE dataset_id = %(d)s "
                "AND ext_id = ANY(%(ids)s)"
            )
            params = {"d": dataset_id, "ids": ext_ids}
        return int(conn.exec_driver_sql(sql, params).scalar_one())

    @staticmethod
    def _upsert(conn: Connection, dataset_id: str, rows: list[RecordRow]) -> None:
        """Insert or update rows with the driver's executemany (no per-value processing)."""
        dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
        stmt = dialect_insert(Record)
        stmt = stmt.on_conflict_do_update(
            index_elements=[Record.dataset_id, Record.ext_id],
            set_={name: stmt.excluded[name] for name in _COLUMNS[1:]},
        )
        values = {"dataset_id": dataset_id, **dict.fromkeys(_COLUMNS)}
        compiled = stmt.values(values).compile(dialect=conn.dialect)
        params: list[tuple[Any, ...]] = [
            (
                dataset_id,
                r["ext_id"],
                r["text"],
                r["score"],
                r["date"],
                r["channel"],
                r["segment"],
                _json_list(r["tags"]),
                _json_list(r["causes"]),
                None if r["ratings"] is None else json.dumps(r["ratings"]),
            )
            for r in rows
        ]
        names = ["dataset_id", *_COLUMNS]
        if compiled.positional:
            order = [names.index(n) for n in compiled.positiontup or ()]
            if order != list(range(len(names))):
                params = [tuple(p[i] for i in order) for p in params]
            conn.exec_driver_sql(compiled.string, params)
        else:
            conn.exec_driver_sql(
                compiled.string, [dict(zip(names, p, strict=True)) for p in params]
            )

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
    ) -> LoadedTable:
        """Return the records of a dataset (optionally filtered) as a columnar table.

        ``since`` and ``until`` are inclusive; records without a date are left out
        when either is given.

        Raises:
            NotFound: when there is no such dataset.
        """
        scale = self.get_dataset(dataset_id).scale
        query = table_query(dataset_id, since, until, segment, channel)
        with self._read() as conn:
            rows = fetch_plain(conn, query)
        return loaded_table(rows, scale)
