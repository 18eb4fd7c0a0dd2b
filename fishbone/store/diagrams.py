"""Stored diagrams and their versions: create, save with a version check, list, restore.

Every save writes the whole document as a new version (who, when, what changed)
and moves the diagram's head with a compare-and-set on its version number, so
two writers that both start from version 3 cannot both win: the second gets
:class:`~fishbone.store.errors.VersionConflict`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from fishbone.model import Diagram
from fishbone.store.changes import content_hash, diff_diagrams, signals_hash, summarize
from fishbone.store.engine import StoreBase, now
from fishbone.store.errors import AlreadyExists, NotFound, VersionConflict
from fishbone.store.tables import (
    DiagramRow,
    DiagramVersion,
    MatchRun,
    RankingCache,
)
from fishbone.validation import check_diagram

__all__ = ["DiagramsMixin", "StoredDiagram", "VersionInfo"]


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class StoredDiagram:
    """A diagram as stored: the document plus its version and bookkeeping."""

    diagram: Diagram
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str
    content_hash: str
    signals_hash: str

    @property
    def etag(self) -> str:
        """The HTTP entity tag of this version (quoted)."""
        return f'"{self.diagram.id}.v{self.version}"'


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One saved version: its number, author, time and a summary of the change."""

    version: int
    author: str
    created_at: dt.datetime
    summary: str


def _document(diagram: Diagram) -> str:
    return json.dumps(
        diagram.model_dump(mode="json", by_alias=True), ensure_ascii=False
    )


def _stored(row: DiagramRow) -> StoredDiagram:
    return StoredDiagram(
        diagram=Diagram.model_validate_json(row.document),
        version=row.version,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
        updated_by=row.updated_by,
        content_hash=row.content_hash,
        signals_hash=row.signals_hash,
    )


class DiagramsMixin(StoreBase):
    """Diagram storage; part of :class:`~fishbone.store.Store`."""

    def list_diagrams(self) -> list[StoredDiagram]:
        """Return every diagram at its latest version, by id."""
        with self._read() as conn:
            rows = conn.execute(select(DiagramRow).order_by(DiagramRow.id)).all()
        return [_stored(DiagramRow(**row._mapping)) for row in rows]

    def _row(self, conn: Connection, diagram_id: str) -> DiagramRow:
        row = conn.execute(
            select(DiagramRow).where(DiagramRow.id == diagram_id)
        ).first()
        if row is None:
            raise NotFound("diagram", diagram_id)
        return DiagramRow(**row._mapping)

    def get_diagram(self, diagram_id: str) -> StoredDiagram:
        """Return the latest version of a diagram.

        Raises:
            NotFound: when there is no such diagram.
        """
        with self._read() as conn:
            return _stored(self._row(conn, diagram_id))

    def diagram_head(self, diagram_id: str) -> tuple[int, str, str]:
        """Return ``(version, content_hash, signals_hash)`` without parsing the document.

        Raises:
            NotFound: when there is no such diagram.
        """
        with self._read() as conn:
            row = conn.execute(
                select(
                    DiagramRow.version, DiagramRow.content_hash, DiagramRow.signals_hash
                ).where(DiagramRow.id == diagram_id)
            ).first()
        if row is None:
            raise NotFound("diagram", diagram_id)
        return row[0], row[1], row[2]

    def create_diagram(self, diagram: Diagram, *, actor: str) -> StoredDiagram:
        """Store a new, valid diagram as version 1.

        Raises:
            DiagramInvalid: when the diagram breaks a rule.
            AlreadyExists: when a diagram has that id.
        """
        check_diagram(diagram, source=diagram.id)
        stamp = now()
        with self._write() as conn:
            taken = conn.execute(
                select(DiagramRow.id).where(DiagramRow.id == diagram.id)
            ).first()
            if taken is not None:
                raise AlreadyExists("diagram", diagram.id)
            conn.execute(
                insert(DiagramRow).values(
                    id=diagram.id,
                    created_at=stamp,
                    **self._head_values(diagram, 1, actor, stamp),
                )
            )
            self._add_version(conn, diagram, 1, actor, stamp, "created")
            self._audit(conn, actor, "diagram.create", diagram.id, version=1)
        return self.get_diagram(diagram.id)

    @staticmethod
    def _head_values(
        diagram: Diagram, version: int, actor: str, stamp: dt.datetime
    ) -> dict[str, object]:
        return {
            "title": diagram.title,
            "version": version,
            "document": _document(diagram),
            "content_hash": content_hash(diagram),
            "signals_hash": signals_hash(diagram),
            "updated_at": stamp,
            "updated_by": actor,
        }

    @staticmethod
    def _add_version(
        conn: Connection,
        diagram: Diagram,
        version: int,
        actor: str,
        stamp: dt.datetime,
        summary: str,
    ) -> None:
        conn.execute(
            insert(DiagramVersion).values(
                diagram_id=diagram.id,
                version=version,
                document=_document(diagram),
                author=actor,
                created_at=stamp,
                summary=summary,
            )
        )

    def save_diagram(
        self,
        diagram: Diagram,
        *,
        expected_version: int,
        actor: str,
        summary: str | None = None,
    ) -> StoredDiagram:
        """Save a new version of an existing diagram, if nobody saved since ``expected_version``.

        Args:
            diagram: the whole new document (its id names the diagram).
            expected_version: the version the change was based on.
            actor: who saves (an API key name, ``cli`` or ``anonymous``).
            summary: what changed; computed from a diff when None.

        Raises:
            DiagramInvalid: when the diagram breaks a rule.
            NotFound: when there is no such diagram.
            VersionConflict: when the stored version is not ``expected_version``.
        """
        check_diagram(diagram, source=diagram.id)
        stamp = now()
        with self._write() as conn:
            head = self._row(conn, diagram.id)
            if head.version != expected_version:
                raise VersionConflict(
                    diagram.id, expected=expected_version, current=head.version
                )
            if summary is None:
                old = Diagram.model_validate_json(head.document)
                summary = summarize(diff_diagrams(old, diagram))
            version = expected_version + 1
            done = conn.execute(
                update(DiagramRow)
                .where(DiagramRow.id == diagram.id)
                .where(DiagramRow.version == expected_version)
                .values(**self._head_values(diagram, version, actor, stamp))
            )
            if done.rowcount != 1:  # another worker won the race (PostgreSQL)
                raise VersionConflict(
                    diagram.id, expected=expected_version, current=version
                )
            self._add_version(conn, diagram, version, actor, stamp, summary)
            self._audit(
                conn,
                actor,
                "diagram.save",
                diagram.id,
                version=version,
                summary=summary,
            )
        return self.get_diagram(diagram.id)

    def delete_diagram(
        self, diagram_id: str, *, expected_version: int, actor: str
    ) -> None:
        """Delete a diagram, its versions, matches and cached rankings.

        Raises:
            NotFound: when there is no such diagram.
            VersionConflict: when the stored version is not ``expected_version``.
        """
        with self._write() as conn:
            head = self._row(conn, diagram_id)
            if head.version != expected_version:
                raise VersionConflict(
                    diagram_id, expected=expected_version, current=head.version
                )
            for table, column in (
                (DiagramRow, DiagramRow.id),
                (DiagramVersion, DiagramVersion.diagram_id),
                (MatchRun, MatchRun.diagram_id),
                (RankingCache, RankingCache.diagram_id),
            ):
                conn.execute(delete(table).where(column == diagram_id))
            self._audit(conn, actor, "diagram.delete", diagram_id, version=head.version)

    def list_versions(self, diagram_id: str) -> list[VersionInfo]:
        """Return every saved version of a diagram, oldest first.

        Raises:
            NotFound: when there is no such diagram.
        """
        with self._read() as conn:
            self._row(conn, diagram_id)
            rows = conn.execute(
                select(
                    DiagramVersion.version,
                    DiagramVersion.author,
                    DiagramVersion.created_at,
                    DiagramVersion.summary,
                )
                .where(DiagramVersion.diagram_id == diagram_id)
                .order_by(DiagramVersion.version)
            ).all()
        return [VersionInfo(r[0], r[1], _utc(r[2]), r[3]) for r in rows]

    def get_version(self, diagram_id: str, version: int) -> tuple[Diagram, VersionInfo]:
        """Return one saved version of a diagram and its details.

        Raises:
            NotFound: when the diagram or the version does not exist.
        """
        with self._read() as conn:
            row = conn.execute(
                select(DiagramVersion)
                .where(DiagramVersion.diagram_id == diagram_id)
                .where(DiagramVersion.version == version)
            ).first()
        if row is None:
            raise NotFound(
                "version",
                f"{diagram_id}@{version}",
                hint=f"list them with GET /api/v1/diagrams/{diagram_id}/versions",
            )
        v = DiagramVersion(**row._mapping)
        info = VersionInfo(v.version, v.author, _utc(v.created_at), v.summary)
        return Diagram.model_validate_json(v.document), info

    def restore_version(
        self, diagram_id: str, version: int, *, expected_version: int, actor: str
    ) -> StoredDiagram:
        """Save an old version again as the newest one (history is never rewritten).

        Raises:
            NotFound: when the diagram or the version does not exist.
            VersionConflict: when the stored version is not ``expected_version``.
        """
        old, _info = self.get_version(diagram_id, version)
        return self.save_diagram(
            old,
            expected_version=expected_version,
            actor=actor,
            summary=f"restored version {version}",
        )
