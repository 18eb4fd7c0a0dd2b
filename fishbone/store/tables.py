"""The store's tables as SQLAlchemy 2 declarative models (the schema Alembic migrates to).

Documents are kept as JSON text: a diagram row holds its latest ``fishbone/1``
document, and every saved version is kept whole in ``diagram_versions`` with
who saved it, when, and a one-line summary of what changed.

Examples:
    >>> sorted(Base.metadata.tables)[:3]
    ['api_keys', 'audit', 'datasets']
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "Dataset",
    "DiagramRow",
    "DiagramVersion",
    "MatchRun",
    "RankingCache",
    "Record",
]

_ID = String(200)
# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants BIGINT room.
_PK = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base of every store table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: DateTime(timezone=True)
    }


class DiagramRow(Base):
    """The latest version of each diagram."""

    __tablename__ = "diagrams"

    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    signals_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str] = mapped_column(String(200))


class DiagramVersion(Base):
    """Every saved version of every diagram: who, when, what changed."""

    __tablename__ = "diagram_versions"

    diagram_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    summary: Mapped[str] = mapped_column(Text, default="")


class Dataset(Base):
    """A named set of feedback records; ``revision`` grows with every change."""

    __tablename__ = "datasets"

    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    scale: Mapped[str | None] = mapped_column(String(50))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class Record(Base):
    """One feedback record; ``ext_id`` is unique within its dataset (re-sends update it)."""

    __tablename__ = "records"
    # Only the unique (dataset, external id) index: a date index halved ingest
    # speed, and rankings filter dates in memory (see api.routes._analysis.subset).
    __table_args__ = (
        UniqueConstraint("dataset_id", "ext_id", name="uq_records_dataset_ext"),
    )

    pk: Mapped[int] = mapped_column(_PK, primary_key=True, autoincrement=True)
    dataset_id: Mapped[str] = mapped_column(_ID)
    ext_id: Mapped[str] = mapped_column(_ID)
    text: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float)
    date: Mapped[str | None] = mapped_column(String(10))
    channel: Mapped[str | None] = mapped_column(String(200))
    segment: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    causes: Mapped[list[str]] = mapped_column(JSON, default=list)
    ratings: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class MatchRun(Base):
    """Matches of a diagram against a dataset, and what they were computed from.

    The ``(record, cause)`` pairs are kept as two packed arrays (little-endian
    int64 record keys, int32 indexes into ``cause_ids``): a ranking of 100,000
    comments reads one row instead of one per mention.
    """

    __tablename__ = "match_runs"

    diagram_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    signals_hash: Mapped[str] = mapped_column(String(64))
    dataset_revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    cause_ids: Mapped[str] = mapped_column(Text, default="[]")
    record_pks: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    cause_index: Mapped[bytes] = mapped_column(LargeBinary, default=b"")


class RankingCache(Base):
    """A computed ranking, keyed by a hash of everything it depends on."""

    __tablename__ = "rankings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    diagram_id: Mapped[str] = mapped_column(_ID, index=True)
    dataset_id: Mapped[str] = mapped_column(_ID)
    method: Mapped[str] = mapped_column(String(50))
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class ApiKey(Base):
    """An API key: only the sha256 of the token is stored."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class AuditEntry(Base):
    """One write: who did what to which object, and when."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(_PK, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
