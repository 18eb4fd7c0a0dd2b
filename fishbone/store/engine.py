"""Engines and migrations: SQLite (one writer, WAL) or PostgreSQL, migrated by Alembic on open.

SQLite follows datasette's rule of one writer: every write transaction takes an
in-process lock and starts with ``BEGIN IMMEDIATE`` (so writers in other
processes wait on the busy timeout instead of failing half-way), in WAL mode so
readers never block. PostgreSQL needs neither and is used as it is.

Examples:
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     engines = make_engines(f"sqlite:///{pathlib.Path(tmp) / 'f.db'}")
    ...     migrate(engines.writer)
    ...     with engines.reader.connect() as conn:
    ...         mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    ...     engines.dispose()
    >>> mode
    'wal'
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event, insert
from sqlalchemy.engine import make_url

from fishbone.store.tables import AuditEntry

__all__ = ["BUSY_TIMEOUT_MS", "Engines", "StoreBase", "make_engines", "migrate", "now"]

BUSY_TIMEOUT_MS: Final = 10_000
"""How long a SQLite writer waits for another process's write to finish."""


def now() -> dt.datetime:
    """Return the current time in UTC.

    Examples:
        >>> now().tzinfo
        datetime.timezone.utc
    """
    return dt.datetime.now(dt.UTC)


@dataclass(slots=True)
class Engines:
    """The reading and the writing engine (the same one on PostgreSQL)."""

    reader: Engine
    writer: Engine
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is a SQLite file."""
        return self.writer.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()


def _sqlite_engine(url: str, *, begin: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"isolation_level": None, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine


def make_engines(url: str) -> Engines:
    """Return engines for a database URL (``sqlite:///path`` or ``postgresql+psycopg://...``).

    Raises:
        ValueError: for an in-memory SQLite URL (each connection would see another database).

    Examples:
        >>> make_engines("sqlite://")
        Traceback (most recent call last):
        ...
        ValueError: database URL 'sqlite://' is in memory; use a file such as sqlite:///fishbone.db
        >>> make_engines("postgresql+psycopg://u@localhost/db").is_sqlite
        False
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
        return Engines(engine, engine)
    if not parsed.database or parsed.database == ":memory:":
        raise ValueError(
            f"database URL {url!r} is in memory; use a file such as sqlite:///fishbone.db"
        )
    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return Engines(
        _sqlite_engine(url, begin="BEGIN"), _sqlite_engine(url, begin="BEGIN IMMEDIATE")
    )


def migrate(engine: Engine) -> None:
    """Upgrade the database to the latest Alembic revision (no alembic.ini needed).

    Examples:
        >>> import tempfile, pathlib, sqlalchemy as sa
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     engine = sa.create_engine(f"sqlite:///{pathlib.Path(tmp) / 'm.db'}")
        ...     migrate(engine)
        ...     with engine.connect() as conn:
        ...         head = conn.exec_driver_sql(
        ...             "SELECT version_num FROM alembic_version"
        ...         ).scalar()
        ...     engine.dispose()
        >>> head
        '0003'
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several workers may start at once: one migrates, the others wait for it.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7401)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class StoreBase:
    """Transactions and the audit trail, shared by the parts of :class:`~fishbone.store.Store`."""

    def __init__(self, engines: Engines) -> None:
        self._engines = engines

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One short write transaction; on SQLite, one writer at a time."""
        if self._engines.is_sqlite:
            with self._engines.lock, self._engines.writer.begin() as conn:
                yield conn
        else:
            with self._engines.writer.begin() as conn:
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read-only connection (its transaction is rolled back on exit)."""
        with self._engines.reader.connect() as conn:
            yield conn

    @staticmethod
    def _audit(
        conn: Connection, actor: str, action: str, target: str, **detail: Any
    ) -> None:
        conn.execute(
            insert(AuditEntry).values(
                at=now(),
                actor=actor,
                action=action,
                target=target,
                detail=json.dumps(detail, sort_keys=True, default=str),
            )
        )
