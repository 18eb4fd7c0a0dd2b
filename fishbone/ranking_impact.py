"""The ``impact`` fields of a ranking: impact, its bootstrap interval, group means, small n.

Impact is the mean score of all records minus that of the records not
mentioning a cause, n_c (S_c - S) / (N - n_c), on NPS points (promoters 100,
passives 0, detractors -100) for an ``nps`` scale. Sums run over the mentions
(one bincount over the sparse matrix's entries), never over records in Python.

Examples:
    >>> from scipy import sparse
    >>> from fishbone.records import FeedbackTable
    >>> X = sparse.csr_array(np.array([[1], [0], [0]], dtype=np.int8))
    >>> rows = Rows(["a"], ["A"], ["k"], [None], X)
    >>> fb = FeedbackTable.from_rows([{"score": 2}, {"score": 6}, {"score": 10}])
    >>> out = impact_fields(rows, fb, np.ones(3), required=True)
    >>> (
    ...     float(out["impact"][0]),
    ...     float(out["mean_with"][0]),
    ...     float(out["mean_without"][0]),
    ... )
    (-2.0, 2.0, 8.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fishbone.exceptions import FeedbackError
from fishbone.ranking_rows import Rows
from fishbone.ranking_stats import (
    bootstrap_impact,
    impact,
    kish_n,
    nps_points,
    score_levels,
)
from fishbone.records import FeedbackTable

__all__ = ["impact_fields"]

Floats = npt.NDArray[np.float64]


def _column_sums(
    X: sparse.csr_array, record: npt.NDArray[np.intp], per_record: Floats
) -> Floats:
    """Return, per column of ``X``, the sum of ``per_record`` over the records it holds."""
    return np.bincount(
        X.indices, weights=per_record[record], minlength=X.shape[1]
    ).astype(np.float64)


def impact_fields(
    rows: Rows,
    feedback: FeedbackTable,
    w: Floats,
    *,
    required: bool,
    confidence: float = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 30,
) -> dict[str, Any]:
    """Return per-row impact, interval, scored counts, small-n flags and group means.

    Records without a score (or with zero weight) are left out. Returns an
    empty dict when no record is scored and impact is not ``required``.

    Raises:
        FeedbackError: when ``required`` and no record has a score.

    Examples:
        >>> from fishbone.records import FeedbackTable
        >>> X = sparse.csr_array(np.array([[1], [1], [0], [0]], dtype=np.int8))
        >>> rows = Rows(["a"], ["A"], ["k"], [None], X)
        >>> fb = FeedbackTable.from_rows([{"score": s} for s in (1, 3, 7, 9)])
        >>> out = impact_fields(rows, fb, np.ones(4), required=True, min_n=2)
        >>> float(out["impact"][0]), bool(out["small_n"][0])
        (-3.0, False)
        >>> impact_fields(
        ...     rows, FeedbackTable.from_rows([{}] * 4), np.ones(4), required=False
        ... )
        {}
    """
    scored = np.isfinite(feedback.scores) & (w > 0)
    if not scored.any():
        if required:
            raise FeedbackError(
                "no feedback record has a score, so impact cannot be computed; map a score column or use method='pareto'"
            )
        return {}
    nps = feedback.scale is not None and feedback.scale.is_nps
    values = nps_points(feedback.scores) if nps else feedback.scores
    values = np.where(scored, values, 0.0)
    ws = np.where(scored, w, 0.0)
    X = rows.matrix
    record = np.repeat(
        np.arange(X.shape[0]), np.diff(X.indptr)
    )  # record of each mention
    n_cols = X.shape[1]
    n_with = _column_sums(X, record, ws)
    sum_with = _column_sums(X, record, ws * values)
    n_all, sum_all = float(ws.sum()), float(ws @ values)
    effect = impact(n_with, sum_with, n_all, sum_all)
    idx, levels = score_levels(values[scored])
    level = np.zeros(X.shape[0], dtype=np.intp)
    level[scored] = idx
    n_levels = levels.shape[0]
    scale = kish_n(ws[scored]) / n_all  # weighted histograms in effective records
    hist_with = np.asarray(
        np.bincount(
            X.indices * n_levels + level[record],
            weights=ws[record] * scale,
            minlength=n_cols * n_levels,
        ),
        dtype=np.float64,
    ).reshape(n_cols, n_levels)
    hist_all = np.asarray(
        np.bincount(idx, weights=ws[scored] * scale, minlength=n_levels),
        dtype=np.float64,
    )
    lo, hi = bootstrap_impact(
        hist_with,
        hist_all,
        levels,
        n_boot=n_boot,
        confidence=confidence,
        seed=seed,
        centre=effect,
    )
    n_scored = np.bincount(X.indices, weights=scored[record], minlength=n_cols).astype(
        np.int64
    )
    rest = n_all - n_with
    return {
        "impact": effect,
        "impact_lo": lo,
        "impact_hi": hi,
        "n_scored": n_scored,
        "small_n": n_scored < min_n,
        "mean_with": np.divide(
            sum_with, n_with, out=np.full_like(n_with, np.nan), where=n_with > 0
        ),
        "mean_without": np.divide(
            sum_all - sum_with, rest, out=np.full_like(rest, np.nan), where=rest > 0
        ),
    }
