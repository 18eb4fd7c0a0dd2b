"""Persistence: one :class:`Store` over SQLAlchemy 2 for SQLite (default) and PostgreSQL.

Opening a store applies the Alembic migrations. SQLite runs with WAL, a busy
timeout and one writer at a time; PostgreSQL serves several workers.

Examples:
    >>> import tempfile, pathlib
    >>> from fishbone.model import Category, Diagram, Effect
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     store = Store(f"sqlite:///{pathlib.Path(tmp) / 'f.db'}")
    ...     d = Diagram(
    ...         id="cx",
    ...         effect=Effect(label="Happy customers"),
    ...         categories=[Category(id="p", label="Processes")],
    ...     )
    ...     first = store.create_diagram(d, actor="doc")
    ...     d.title = "Customers"
    ...     second = store.save_diagram(d, expected_version=1, actor="doc")
    ...     history = [v.summary for v in store.list_versions("cx")]
    ...     store.close()
    >>> first.version, second.version, history
    (1, 2, ['created', 'changed title'])
"""

from __future__ import annotations

from sqlalchemy import text

from fishbone.store.changes import (
    Change,
    content_hash,
    diff_diagrams,
    signals_hash,
    summarize,
)
from fishbone.store.diagrams import DiagramsMixin, StoredDiagram, VersionInfo
from fishbone.store.engine import make_engines, migrate
from fishbone.store.errors import AlreadyExists, NotFound, StoreError, VersionConflict
from fishbone.store.feedback import (
    DatasetInfo,
    FeedbackMixin,
    IngestCounts,
    LoadedTable,
    RecordRow,
)
from fishbone.store.keys import (
    SCOPES,
    AuditRecord,
    KeyInfo,
    KeysMixin,
    hash_token,
    implied_scopes,
    parse_scopes,
)
from fishbone.store.matches import MatchesMixin, MatchSet

__all__ = [
    "SCOPES",
    "AlreadyExists",
    "AuditRecord",
    "Change",
    "DatasetInfo",
    "IngestCounts",
    "KeyInfo",
    "LoadedTable",
    "MatchSet",
    "NotFound",
    "RecordRow",
    "Store",
    "StoreError",
    "StoredDiagram",
    "VersionConflict",
    "VersionInfo",
    "content_hash",
    "diff_diagrams",
    "hash_token",
    "implied_scopes",
    "parse_scopes",
    "signals_hash",
    "summarize",
]


class Store(DiagramsMixin, FeedbackMixin, MatchesMixin, KeysMixin):
    """Diagrams, versions, feedback, matches, rankings, keys and audit, in one database.

    Args:
        url: a SQLAlchemy URL: ``sqlite:///fishbone.db`` or
            ``postgresql+psycopg://user@host/db``.
        upgrade: apply Alembic migrations on open (the default).
    """

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        engines = make_engines(url)
        super().__init__(engines)
        self.url = url
        if upgrade:
            migrate(engines.writer)

    @property
    def backend(self) -> str:
        """The database kind: ``sqlite`` or ``postgresql``."""
        return self._engines.writer.dialect.name

    def ping(self) -> bool:
        """Return whether the database answers."""
        try:
            with self._read() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # any driver error means "not ready"
            return False
        return True

    def close(self) -> None:
        """Release every database connection."""
        self._engines.dispose()
