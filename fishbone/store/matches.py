"""Stored matches and cached rankings, reused until the diagram's signals or the data change.

Matches of a diagram against a dataset are one row: the ``(record, cause)``
pairs packed as two arrays, with the signals hash and dataset revision they
were computed from. Rankings are cached under a key that hashes everything
they depend on; a ranking with current matches reads only the record columns
it needs (``Store.load_table(..., lean=True)``).

Examples:
    >>> import numpy as np
    >>> m = MatchSet(np.array([7, 9]), np.array([0, 1], np.int32), ["a", "b"])
    >>> m.pairs()
    [(7, 'a'), (9, 'b')]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select

from fishbone.store.engine import StoreBase, now
from fishbone.store.tables import MatchRun, RankingCache

__all__ = ["MatchSet", "MatchesMixin"]


@dataclass(frozen=True, slots=True)
class MatchSet:
    """Stored matches: pair ``i`` says record ``pks[i]`` mentions ``cause_ids[causes[i]]``."""

    pks: np.ndarray[Any, np.dtype[np.int64]]
    causes: np.ndarray[Any, np.dtype[np.int32]]
    cause_ids: list[str]

    def pairs(self) -> list[tuple[int, str]]:
        """Return the matches as ``(record key, cause id)`` pairs."""
        return [
            (int(pk), self.cause_ids[int(c)])
            for pk, c in zip(self.pks, self.causes, strict=True)
        ]


class MatchesMixin(StoreBase):
    """Matches and the rankings cache; part of :class:`~fishbone.store.Store`."""

    def current_matches(
        self, diagram_id: str, dataset_id: str, *, signals: str, revision: int
    ) -> MatchSet | None:
        """Return the stored matches, or None when they are stale or missing."""
        with self._read() as conn:
            run = conn.execute(
                select(
                    MatchRun.signals_hash,
                    MatchRun.dataset_revision,
                    MatchRun.cause_ids,
                    MatchRun.record_pks,
                    MatchRun.cause_index,
                )
                .where(MatchRun.diagram_id == diagram_id)
                .where(MatchRun.dataset_id == dataset_id)
            ).first()
        if run is None or (run[0], run[1]) != (signals, revision):
            return None
        return MatchSet(
            np.frombuffer(run[3], "<i8").astype(np.int64),
            np.frombuffer(run[4], "<i4").astype(np.int32),
            json.loads(run[2]),
        )

    def save_matches(
        self,
        diagram_id: str,
        dataset_id: str,
        matches: MatchSet,
        *,
        signals: str,
        revision: int,
    ) -> None:
        """Replace the stored matches of a diagram against a dataset."""
        keys = {"diagram_id": diagram_id, "dataset_id": dataset_id}
        with self._write() as conn:
            conn.execute(
                delete(MatchRun)
                .where(MatchRun.diagram_id == diagram_id)
                .where(MatchRun.dataset_id == dataset_id)
            )
            conn.execute(
                insert(MatchRun).values(
                    **keys,
                    signals_hash=signals,
                    dataset_revision=revision,
                    created_at=now(),
                    cause_ids=json.dumps(matches.cause_ids),
                    record_pks=matches.pks.astype("<i8").tobytes(),
                    cause_index=matches.causes.astype("<i4").tobytes(),
                )
            )

    def cached_ranking(self, key: str) -> str | None:
        """Return a cached ranking (JSON text) by its key, or None."""
        with self._read() as conn:
            return conn.execute(
                select(RankingCache.result).where(RankingCache.key == key)
            ).scalar()

    def save_ranking(
        self, key: str, result: str, *, diagram_id: str, dataset_id: str, method: str
    ) -> None:
        """Cache a ranking (JSON text) under ``key``."""
        with self._write() as conn:
            conn.execute(delete(RankingCache).where(RankingCache.key == key))
            conn.execute(
                insert(RankingCache).values(
                    key=key,
                    result=result,
                    diagram_id=diagram_id,
                    dataset_id=dataset_id,
                    method=method,
                    created_at=now(),
                )
            )
