"""Columnar feedback and cause mentions: the contract between import, matching and ranking.

A :class:`FeedbackTable` holds one entry per feedback record in columns (numpy
arrays and sequences), never one Python object per row, so a million comments
stay small. :class:`Mentions` says which record mentions which cause, as a
sparse records x causes matrix whose columns follow ``cause_ids``.

Examples:
    >>> import numpy as np
    >>> t = FeedbackTable.from_rows(
    ...     [
    ...         {"text": "slow refund", "score": 3},
    ...         {"text": "friendly staff", "score": 9},
    ...     ],
    ...     scale=Scale.parse("nps"),
    ... )
    >>> len(t), t.scores.tolist()
    (2, [3.0, 9.0])
    >>> m = Mentions.from_sets(["refunds", "staff"], [{"refunds"}, {"staff"}])
    >>> m.counts().tolist()
    [1, 1]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fishbone.exceptions import FeedbackError

__all__ = ["NAMED_SCALES", "FeedbackTable", "Mentions", "Scale"]

NAMED_SCALES: Final[dict[str, tuple[float, float]]] = {
    "nps": (0.0, 10.0),
    "csat": (1.0, 5.0),
    "ces": (1.0, 7.0),
    "stars": (1.0, 5.0),
    "binary": (0.0, 1.0),
}
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Scale:
    """A score scale: a named one (``nps``, ``csat``, ``ces``, ``stars``, ``binary``) or ``MIN-MAX``.

    Examples:
        >>> Scale.parse("nps").is_nps
        True
        >>> Scale.parse("0-100")
        Scale(name='0-100', low=0.0, high=100.0)
        >>> Scale.parse("huge")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FeedbackError: unknown score scale 'huge'; use one of nps, csat, ces, stars, binary or MIN-MAX such as 0-100
    """

    name: str
    low: float
    high: float

    @classmethod
    def parse(cls, text: str) -> Scale:
        """Return the scale named by ``text``.

        Raises:
            FeedbackError: when ``text`` names no scale.
        """
        key = text.strip().lower()
        if key in NAMED_SCALES:
            return cls(key, *NAMED_SCALES[key])
        match = _RANGE.match(key)
        if match and float(match[1]) < float(match[2]):
            return cls(key, float(match[1]), float(match[2]))
        raise FeedbackError(
            f"unknown score scale {text!r}; use one of {', '.join(NAMED_SCALES)} or MIN-MAX such as 0-100"
        )

    @property
    def is_nps(self) -> bool:
        """Whether scores are 0-10 likelihood to recommend (promoters 9-10, detractors 0-6)."""
        return self.name == "nps"

    def contains(self, score: float) -> bool:
        """Return whether ``score`` lies on the scale.

        Examples:
            >>> Scale.parse("csat").contains(6)
            False
        """
        return self.low <= score <= self.high


def _column(values: Iterable[Any], dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    return np.asarray(list(values), dtype=dtype)


@dataclass(slots=True)
class FeedbackTable:
    """Feedback records in columns, in import order.

    Attributes:
        ids: external ids (unique within a dataset).
        texts: comment text, ``""`` when none.
        scores: float64, NaN where a record has no score.
        scale: the scale of ``scores``, None when no record has a score.
        dates: ``datetime64[D]``, NaT where a record has no date.
        channels, segments: one entry per record, None when absent.
        tags: tags per record.
        causes: explicit cause ids per record (trusted first by matching).
        ratings: per-cause attribute ratings, cause id -> float64 column (NaN = not rated).
    """

    ids: Sequence[str]
    texts: Sequence[str]
    scores: npt.NDArray[np.float64]
    scale: Scale | None = None
    dates: npt.NDArray[np.datetime64] = field(
        default_factory=lambda: np.array([], "datetime64[D]")
    )
    channels: Sequence[str | None] = ()
    segments: Sequence[str | None] = ()
    tags: Sequence[tuple[str, ...]] = ()
    causes: Sequence[tuple[str, ...]] = ()
    ratings: Mapping[str, npt.NDArray[np.float64]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if len(self.dates) == 0:
            self.dates = np.full(n, np.datetime64("NaT"), "datetime64[D]")
        for name in ("channels", "segments"):
            if not getattr(self, name):
                setattr(self, name, [None] * n)
        for name in ("tags", "causes"):
            if not getattr(self, name):
                setattr(self, name, [()] * n)
        for name in (
            "texts",
            "scores",
            "dates",
            "channels",
            "segments",
            "tags",
            "causes",
        ):
            if len(getattr(self, name)) != n:
                raise ValueError(
                    f"column {name!r} has {len(getattr(self, name))} entries, expected {n}"
                )

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def has_scores(self) -> bool:
        """Whether any record carries a score."""
        return bool(np.isfinite(self.scores).any())

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, Any]], *, scale: Scale | None = None
    ) -> FeedbackTable:
        """Build a table from small row dicts (tests and examples; readers build columns directly).

        Keys: ``id``, ``text``, ``score``, ``date`` (ISO string or date), ``channel``,
        ``segment``, ``tags``, ``causes``, ``ratings`` (cause id -> number).
        """
        rows = list(rows)
        ratings: dict[str, npt.NDArray[np.float64]] = {}
        for i, row in enumerate(rows):
            for cause, value in row.get("ratings", {}).items():
                ratings.setdefault(cause, np.full(len(rows), np.nan))[i] = value
        return cls(
            ids=[str(r.get("id", i + 1)) for i, r in enumerate(rows)],
            texts=[r.get("text") or "" for r in rows],
            scores=_column(
                (np.nan if r.get("score") is None else r["score"] for r in rows),
                np.float64,
            ),
            scale=scale,
            dates=_column((_date(r.get("date")) for r in rows), "datetime64[D]"),
            channels=[r.get("channel") for r in rows],
            segments=[r.get("segment") for r in rows],
            tags=[tuple(r.get("tags", ())) for r in rows],
            causes=[tuple(r.get("causes", ())) for r in rows],
            ratings=ratings,
        )


def _date(value: object) -> np.datetime64:
    if value is None or value == "":
        return np.datetime64("NaT")
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    return np.datetime64(str(value)[:10], "D")


@dataclass(slots=True)
class Mentions:
    """Which record mentions which cause: a boolean CSR matrix, records x causes.

    Attributes:
        cause_ids: the cause id of each column.
        matrix: ``scipy.sparse.csr_array`` of shape (records, causes), 1 where mentioned.
        confidence: optional same-shape array of match confidences in [0, 1].
    """

    cause_ids: list[str]
    matrix: sparse.csr_array
    confidence: sparse.csr_array | None = None

    @classmethod
    def from_sets(
        cls, cause_ids: Sequence[str], mentioned: Iterable[Iterable[str]]
    ) -> Mentions:
        """Build mentions from one set of cause ids per record.

        Raises:
            FeedbackError: when a record names a cause that is not in ``cause_ids``.
        """
        column = {c: j for j, c in enumerate(cause_ids)}
        rows: list[int] = []
        cols: list[int] = []
        n = 0
        for n, causes in enumerate(mentioned, start=1):
            for cause in causes:
                if cause not in column:
                    raise FeedbackError(f"record {n} mentions unknown cause {cause!r}")
                rows.append(n - 1)
                cols.append(column[cause])
        data = np.ones(len(rows), dtype=np.int8)
        matrix = sparse.csr_array((data, (rows, cols)), shape=(n, len(cause_ids)))
        matrix.sum_duplicates()
        matrix.data[:] = 1
        return cls(list(cause_ids), matrix)

    def counts(self) -> npt.NDArray[np.int64]:
        """Return how many records mention each cause, in ``cause_ids`` order."""
        return np.asarray(self.matrix.sum(axis=0), dtype=np.int64).ravel()
