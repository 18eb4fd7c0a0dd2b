"""Trends: is a cause mentioned more this period than before?

For each cause the share of comments mentioning it in the current period is
compared with its share in the earlier period by a pooled two-proportion z
test; the p-values are adjusted across causes with Benjamini-Hochberg, and a
cause is *rising* when its adjusted q-value is below ``alpha`` and its share
went up (*falling* when it went down).

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> from fishbone.records import FeedbackTable, Mentions
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="E"),
    ...     categories=[Category(id="p", label="P")],
    ...     causes=[Cause(id="a", label="Refunds", category="p")],
    ... )
    >>> rows = [{"date": "2024-01-10"}] * 100 + [{"date": "2024-03-10"}] * 100
    >>> t = FeedbackTable.from_rows(rows)
    >>> m = Mentions.from_sets(
    ...     ["a"], [set()] * 90 + [{"a"}] * 10 + [{"a"}] * 40 + [set()] * 60
    ... )
    >>> (tr,) = trend(d, t, mentions=m, period_days=30)
    >>> tr.share_before, tr.share_now, tr.rising
    (0.1, 0.4, True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from fishbone.exceptions import FeedbackError
from fishbone.model import Diagram
from fishbone.ranking_rows import build_rows
from fishbone.ranking_stats import benjamini_hochberg, two_proportion_test
from fishbone.records import FeedbackTable, Mentions

__all__ = ["CauseTrend", "split_periods", "trend"]


@dataclass(frozen=True, slots=True)
class CauseTrend:
    """One cause's share now against before, with its test and BH q-value."""

    cause: str
    label: str
    category: str
    n_now: int
    total_now: int
    share_now: float
    n_before: int
    total_before: int
    share_before: float
    change: float
    z: float
    p: float
    q: float
    rising: bool
    falling: bool

    def as_row(self) -> dict[str, Any]:
        """Return the trend as a JSON-ready dict.

        Examples:
            >>> t = CauseTrend(
            ...     "a",
            ...     "A",
            ...     "p",
            ...     4,
            ...     10,
            ...     0.4,
            ...     1,
            ...     10,
            ...     0.1,
            ...     0.3,
            ...     1.6,
            ...     0.1,
            ...     0.1,
            ...     False,
            ...     False,
            ... )
            >>> t.as_row()["change"]
            0.3
        """
        return asdict(self)


def split_periods(
    dates: npt.NDArray[np.datetime64],
    *,
    since: dt.date | np.datetime64 | str | None = None,
    period_days: int = 30,
    baseline_days: int | None = None,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Return masks (now, before): records from ``since`` on, and earlier ones.

    ``since`` defaults to ``period_days`` before the day after the latest date;
    ``baseline_days`` limits the earlier period (None: everything before).

    Raises:
        FeedbackError: when no record has a date.

    Examples:
        >>> d = np.array(["2024-01-01", "2024-02-15", "NaT"], "datetime64[D]")
        >>> [m.tolist() for m in split_periods(d, since="2024-02-01")]
        [[False, True, False], [True, False, False]]
    """
    dated = ~np.isnat(dates)
    if not dated.any():
        raise FeedbackError(
            "no feedback record has a date, so trends cannot be computed; map a date column"
        )
    start = (
        dates[dated].max() + 1 - period_days
        if since is None
        else np.datetime64(str(since)[:10], "D")
    )
    now = dated & (dates >= start)
    before = dated & (dates < start)
    if baseline_days is not None:
        before &= dates >= start - baseline_days
    return now, before


def trend(
    diagram: Diagram,
    feedback: FeedbackTable,
    *,
    mentions: Mentions | None = None,
    since: dt.date | np.datetime64 | str | None = None,
    period_days: int = 30,
    baseline_days: int | None = None,
    alpha: float = 0.05,
    level: Literal["causes", "top", "categories"] = "causes",
    roll_up: bool = True,
) -> list[CauseTrend]:
    """Compare each cause's share of comments this period with the earlier period.

    Args:
        diagram: the fishbone.
        feedback: the records (undated ones are left out).
        mentions: which record mentions which cause; matched when None.
        since: first day of the current period (see :func:`split_periods`).
        period_days: length of the current period when ``since`` is None.
        baseline_days: length of the earlier period (None: all earlier records).
        alpha: false discovery rate for flagging rising or falling causes.
        level: ``"causes"``, ``"top"`` or ``"categories"`` as in :func:`fishbone.rank`.
        roll_up: count sub-cause mentions for their parents (each record once).

    Returns:
        One :class:`CauseTrend` per row, the biggest rise (largest z) first;
        ties keep document order.

    Raises:
        FeedbackError: when no record has a date or either period is empty.

    Examples:
        >>> from fishbone.model import Category, Cause, Diagram, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="p", label="P")],
        ... )
        >>> trend(
        ...     d,
        ...     FeedbackTable.from_rows([{"date": "2024-01-01"}]),
        ...     mentions=Mentions.from_sets([], [set()]),
        ... )
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FeedbackError: the earlier period has no dated records; pass an earlier since or a longer baseline_days
    """
    if mentions is None:
        from fishbone.matching import match  # lazy: matching is optional here

        mentions = match(diagram, feedback)
    rows = build_rows(diagram, mentions, len(feedback), level=level, roll_up=roll_up)
    now, before = split_periods(
        feedback.dates,
        since=since,
        period_days=period_days,
        baseline_days=baseline_days,
    )
    for name, mask in (("current", now), ("earlier", before)):
        if not mask.any():
            raise FeedbackError(
                f"the {name} period has no dated records; pass an earlier since or a longer baseline_days"
            )
    k_now = np.asarray(rows.matrix.T @ now.astype(np.float64)).ravel()
    k_before = np.asarray(rows.matrix.T @ before.astype(np.float64)).ravel()
    n_now, n_before = int(now.sum()), int(before.sum())
    z, p = two_proportion_test(k_now, n_now, k_before, n_before)
    q = benjamini_hochberg(p)
    change = k_now / n_now - k_before / n_before
    order = np.lexsort((np.arange(len(rows.ids)), -z))
    return [
        CauseTrend(
            cause=rows.ids[j],
            label=rows.labels[j],
            category=rows.categories[j],
            n_now=int(k_now[j]),
            total_now=n_now,
            share_now=float(k_now[j] / n_now),
            n_before=int(k_before[j]),
            total_before=n_before,
            share_before=float(k_before[j] / n_before),
            change=float(change[j]),
            z=float(z[j]),
            p=float(p[j]),
            q=float(q[j]),
            rising=bool(q[j] < alpha and change[j] > 0),
            falling=bool(q[j] < alpha and change[j] < 0),
        )
        for j in order.tolist()
    ]
