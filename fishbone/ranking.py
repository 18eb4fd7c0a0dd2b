"""Rank a diagram's causes by customer feedback: pareto, impact or drivers.

:func:`rank` turns a :class:`~fishbone.records.FeedbackTable` and its
:class:`~fishbone.records.Mentions` into one :class:`RankedCause` per cause
(or per top-level cause, or per category), best first. The formulas are those
of DESIGN.md "Ranking, precisely":

- **pareto**: share n_c / N with a Wilson interval, the cumulative share of
  the commenting records covered so far (each comment counted once), and the
  vital few up to ``vital_share``. Needs no scores.
- **impact**: mean score of all minus mean score of those not mentioning the
  cause, n_c (S_c - S) / (N - n_c); on NPS points for an ``nps`` scale; a
  seeded bootstrap interval; ``small_n`` below ``min_n`` scored mentions.
  Most negative first: what pulls the score down most leads.
- **drivers**: each cause's share of the score's R² (LMG up to 15 predictors,
  LMG by category above when affordable, else Johnson's relative weights).

A parent cause counts the records that mention it or any sub-cause, each
once; categories likewise. ``half_life_days`` weights records by recency.

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> from fishbone.records import FeedbackTable, Mentions
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="Happy customers", kind="goal"),
    ...     categories=[Category(id="p", label="Processes")],
    ...     causes=[
    ...         Cause(id="a", label="Refunds", category="p"),
    ...         Cause(id="b", label="Queues", category="p"),
    ...     ],
    ... )
    >>> t = FeedbackTable.from_rows(
    ...     [{"text": "slow refund"}, {"text": "long queue"}, {"text": "refund"}]
    ... )
    >>> m = Mentions.from_sets(["a", "b"], [{"a"}, {"b"}, {"a"}])
    >>> [(r.cause, r.n, round(r.share, 3), r.vital) for r in rank(d, t, mentions=m)]
    [('a', 2, 0.667, True), ('b', 1, 0.333, True)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fishbone.exceptions import FeedbackError
from fishbone.model import Diagram
from fishbone.ranking_drivers import drivers_fields
from fishbone.ranking_impact import impact_fields
from fishbone.ranking_quotes import pick_quotes
from fishbone.ranking_rows import Rows, build_rows
from fishbone.ranking_stats import (
    kish_n,
    recency_weights,
    wilson_interval,
)
from fishbone.records import FeedbackTable, Mentions

__all__ = ["METHODS", "METHOD_FIELDS", "RankedCause", "rank"]

Method = Literal["pareto", "impact", "drivers"]
Level = Literal["causes", "top", "categories"]
Floats = npt.NDArray[np.float64]
METHODS: Final = ("pareto", "impact", "drivers")

METHOD_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "pareto": ("cumulative", "vital"),
    "impact": ("n_scored", "mean_with", "mean_without", "small_n"),
    "drivers": ("importance", "r2_part", "direction", "importance_method", "r2"),
}
"""The fields each method adds to the DESIGN.md ranking row."""

_BASE_FIELDS: Final = (
    "cause",
    "label",
    "category",
    "rank",
    "n",
    "share",
    "share_ci",
    "impact",
    "impact_ci",
    "quotes",
)


@dataclass(frozen=True, slots=True)
class RankedCause:
    """One row of a ranking; :meth:`as_row` gives DESIGN.md's ranking row JSON.

    Examples:
        >>> r = RankedCause("a", "Refunds", "p", 1, 2, 0.5, (0.1, 0.9))
        >>> r.as_row()["share_ci"], r.as_row()["vital"]
        ([0.1, 0.9], None)
    """

    cause: str
    label: str
    category: str
    rank: int
    n: int
    share: float
    share_ci: tuple[float, float]
    impact: float | None = None
    impact_ci: tuple[float, float] | None = None
    quotes: tuple[str, ...] = ()
    method: str = "pareto"
    level: str = "causes"
    parent: str | None = None
    quote_ids: tuple[str, ...] = ()
    n_eff: float | None = None
    cumulative: float | None = None
    vital: bool | None = None
    n_scored: int | None = None
    mean_with: float | None = None
    mean_without: float | None = None
    small_n: bool | None = None
    importance: float | None = None
    r2_part: float | None = None
    direction: int | None = None
    importance_method: str | None = None
    r2: float | None = None

    def as_row(self) -> dict[str, Any]:
        """Return the JSON ranking row: base fields, then method, level and method fields.

        Examples:
            >>> row = RankedCause(
            ...     "a", "A", "p", 1, 1, 1.0, (0.2, 1.0), method="impact"
            ... ).as_row()
            >>> list(row)[-4:]
            ['n_scored', 'mean_with', 'mean_without', 'small_n']
        """
        names = (
            *_BASE_FIELDS,
            "method",
            "level",
            "parent",
            "quote_ids",
            "n_eff",
            *METHOD_FIELDS[self.method],
        )
        # The fields are flat (scalars and tuples): asdict would deep-copy each one.
        row = {name: getattr(self, name) for name in names}
        for name in ("share_ci", "impact_ci", "quotes", "quote_ids"):
            row[name] = None if row[name] is None else list(row[name])
        return row


def rank(
    diagram: Diagram,
    feedback: FeedbackTable,
    *,
    method: Method = "pareto",
    mentions: Mentions | None = None,
    level: Level = "causes",
    roll_up: bool = True,
    half_life_days: float | None = None,
    now: dt.date | np.datetime64 | str | None = None,
    vital_share: float = 0.8,
    confidence: float = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 30,
    quotes: int = 3,
    drivers: Literal["auto", "lmg", "weights"] = "auto",
    inputs: Literal["auto", "mentions"] = "auto",
) -> list[RankedCause]:
    """Rank the causes of ``diagram`` by ``feedback``, best first.

    Args:
        diagram: the fishbone whose causes are ranked.
        feedback: the records.
        method: ``"pareto"``, ``"impact"`` or ``"drivers"`` (see the module doc).
        mentions: which record mentions which cause; matched with
            :func:`fishbone.matching.match` when None.
        level: ``"causes"`` (every cause), ``"top"`` (causes on a bone, with
            their sub-causes rolled in) or ``"categories"``.
        roll_up: at level ``"causes"``, count a parent's sub-cause mentions
            for the parent (each record once).
        half_life_days: weight records by 2^(-age / half-life); None for equal weights.
        now: the date ages are measured from (default: the latest record date).
        vital_share: pareto's cumulative share that the vital few reach.
        confidence: coverage of the share and impact intervals.
        n_boot: bootstrap resamples for the impact interval.
        seed: bootstrap seed (the same data and seed give the same interval).
        min_n: scored mentions below which ``small_n`` is set.
        quotes: representative quotes per cause.
        drivers: importance method for ``"drivers"``; ``"auto"`` picks LMG
            when exact LMG is affordable and relative weights otherwise.
        inputs: for ``"drivers"``, ``"auto"`` uses a cause's attribute rating
            column when the feedback has one and mention indicators otherwise;
            ``"mentions"`` always uses mentions.

    Returns:
        One :class:`RankedCause` per row, ``rank`` 1 first; ties keep document order.

    Raises:
        FeedbackError: on an unknown method or level, mentions that do not fit
            the feedback or diagram, or ``impact``/``drivers`` without scores.

    Examples:
        >>> from fishbone.model import Category, Cause, Diagram, Effect
        >>> from fishbone.records import FeedbackTable, Mentions, Scale
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="p", label="P")],
        ...     causes=[Cause(id="a", label="A", category="p")],
        ... )
        >>> t = FeedbackTable.from_rows(
        ...     [{"score": 2}, {"score": 6}, {"score": 10}], scale=Scale.parse("0-10")
        ... )
        >>> m = Mentions.from_sets(["a"], [{"a"}, set(), set()])
        >>> [row.impact for row in rank(d, t, method="impact", mentions=m)]
        [-2.0]
        >>> rank(d, t, method="vibes", mentions=m)
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FeedbackError: unknown ranking method 'vibes'; use one of pareto, impact, drivers
    """
    if method not in METHODS:
        raise FeedbackError(
            f"unknown ranking method {method!r}; use one of {', '.join(METHODS)}"
        )
    if mentions is None:
        from fishbone.matching import match  # lazy: matching is optional here

        mentions = match(diagram, feedback)
    rows = build_rows(diagram, mentions, len(feedback), level=level, roll_up=roll_up)
    weights = (
        None
        if half_life_days is None
        else recency_weights(feedback.dates, half_life_days=half_life_days, now=now)
    )
    w = np.ones(len(feedback)) if weights is None else weights
    fields = _pareto_fields(
        rows, w, confidence=confidence, weighted=weights is not None
    )
    if method != "pareto" or feedback.has_scores:
        fields.update(
            impact_fields(
                rows,
                feedback,
                w,
                required=method == "impact",
                confidence=confidence,
                n_boot=n_boot,
                seed=seed,
                min_n=min_n,
            )
        )
    if method == "drivers":
        fields.update(drivers_fields(rows, feedback, w, how=drivers, inputs=inputs))
    order = _order(method, fields, rows)
    if method == "pareto":
        fields.update(_coverage(rows, w, order, vital_share))
    found = pick_quotes(
        sparse.csc_array(rows.matrix),
        feedback.texts,
        feedback.ids,
        feedback.scores,
        k=quotes,
    )
    return _assemble(rows, fields, order, found, method=method, level=level)


def _pareto_fields(
    rows: Rows, w: Floats, *, confidence: float, weighted: bool
) -> dict[str, Any]:
    X = rows.matrix
    n = np.asarray(X.sum(axis=0)).ravel().astype(np.int64)
    mass = np.asarray(X.T @ w).ravel()
    total = float(w.sum())
    share = mass / total if total > 0 else np.zeros(mass.shape)
    n_total = kish_n(w)
    lo, hi = wilson_interval(share * n_total, n_total, confidence=confidence)
    out: dict[str, Any] = {"n": n, "share": share, "share_lo": lo, "share_hi": hi}
    if weighted:
        sq = np.asarray(X.T @ (w * w)).ravel()
        out["n_eff"] = np.divide(mass**2, sq, out=np.zeros_like(mass), where=sq > 0)
    return out


def _settled(values: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Round sort keys to 1e-9 so summation noise cannot break a true tie.

    Shares and importances lie in [0, 1] and impacts in [-200, 200] points:
    1e-9 is far below any difference a team acts on and far above the 1e-15
    that summing the same records in another order leaves.
    """
    rounded: npt.NDArray[np.float64] = np.asarray(values, dtype=np.float64).round(9)
    return rounded


def _order(method: str, fields: dict[str, Any], rows: Rows) -> npt.NDArray[np.intp]:
    """Return row indices best first; ties keep document order (lexsort is stable)."""
    doc = np.arange(len(rows.ids))
    keys: tuple[npt.NDArray[Any], ...]
    if method == "impact":
        keys = (doc, _settled(fields["impact"]), fields["n_scored"] == 0)
    elif method == "drivers":
        keys = (doc, -_settled(fields["importance"]))
    else:
        keys = (doc, -_settled(fields["share"]))
    return np.lexsort(keys).astype(np.intp)


def _coverage(
    rows: Rows, w: Floats, order: npt.NDArray[np.intp], vital_share: float
) -> dict[str, Any]:
    """Return pareto's cumulative coverage and vital flags, per row.

    Cumulative is the weighted share of commenting records that mention this
    row or one ranked above it: each record counts once, at its best-ranked row.
    """
    if not 0.0 < vital_share <= 1.0:
        raise FeedbackError(
            f"vital share {vital_share!r} is not in (0, 1]; use say 0.8"
        )
    X = rows.matrix
    position = np.empty(order.shape[0], dtype=np.int64)
    position[order] = np.arange(order.shape[0])
    counts = np.diff(X.indptr)
    starts = X.indptr[:-1][counts > 0]
    best = np.minimum.reduceat(position[X.indices], starts) if starts.size else starts
    covered = np.bincount(best, weights=w[counts > 0], minlength=order.shape[0])
    total = float(covered.sum())
    cumulative_ranked = np.cumsum(covered) / total if total > 0 else covered
    before = np.concatenate([[0.0], cumulative_ranked[:-1]])
    vital_ranked = (before < vital_share - 1e-12) & (covered > 0)
    return {
        "cumulative": cumulative_ranked[position],
        "vital": vital_ranked[position],
    }


def _assemble(
    rows: Rows,
    fields: dict[str, Any],
    order: npt.NDArray[np.intp],
    found: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
    *,
    method: str,
    level: str,
) -> list[RankedCause]:
    out: list[RankedCause] = []
    for position, j in enumerate(order.tolist(), start=1):
        row = RankedCause(
            cause=rows.ids[j],
            label=rows.labels[j],
            category=rows.categories[j],
            rank=position,
            n=int(fields["n"][j]),
            share=float(fields["share"][j]),
            share_ci=(float(fields["share_lo"][j]), float(fields["share_hi"][j])),
            quotes=found[j][0],
            quote_ids=found[j][1],
            method=method,
            level=level,
            parent=rows.parents[j],
        )
        out.append(replace(row, **_optional(fields, j)))
    return out


_SCALARS: Final = {
    "n_eff": float,
    "cumulative": float,
    "vital": bool,
    "impact": float,
    "n_scored": int,
    "small_n": bool,
    "mean_with": float,
    "mean_without": float,
    "importance": float,
    "r2_part": float,
    "direction": int,
    "r2": float,
    "importance_method": str,
}


def _optional(fields: dict[str, Any], j: int) -> dict[str, Any]:
    """Return the optional fields of row ``j`` as plain Python values (NaN as None)."""
    out: dict[str, Any] = {}
    for name, kind in _SCALARS.items():
        if name not in fields:
            continue
        value = fields[name] if np.ndim(fields[name]) == 0 else fields[name][j]
        if kind is float and not np.isfinite(value):
            out[name] = None
        else:
            out[name] = kind(value)
    if "impact_lo" in fields:
        out["impact_ci"] = (
            float(fields["impact_lo"][j]),
            float(fields["impact_hi"][j]),
        )
    return out
