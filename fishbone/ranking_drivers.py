"""The ``drivers`` ranking: each cause's share of the score's R².

Predictors are mention indicators (one 0/1 column per ranked row) or, when the
feedback has a rating column for a cause, that attribute rating (missing
ratings take the column's weighted mean). The score is regressed on them over
the scored records and the R² is split by :mod:`fishbone.importance`: exact
LMG up to :data:`~fishbone.importance.MAX_EXACT` predictors, LMG over
categories when that is affordable (:data:`~fishbone.importance.LMG_BUDGET`),
and Johnson's relative weights otherwise.

Examples:
    >>> (
    ...     choose_method(5, 3, "auto"),
    ...     choose_method(300, 6, "auto"),
    ...     choose_method(300, 14, "auto"),
    ... )
    ('lmg', 'lmg by category', 'weights')
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fishbone.exceptions import FeedbackError
from fishbone.importance import (
    LMG_BUDGET,
    MAX_EXACT,
    correlations,
    group_lmg,
    group_lmg_cost,
    lmg,
    relative_weights,
    single_blas_thread,
)
from fishbone.ranking_rows import Rows
from fishbone.records import FeedbackTable

__all__ = ["choose_method", "drivers_fields"]

Floats = npt.NDArray[np.float64]


def choose_method(p: int, groups: int, how: str) -> str:
    """Return the importance method for ``p`` predictors in ``groups`` groups.

    Raises:
        FeedbackError: when ``how`` is unknown, or ``"lmg"`` is asked of too
            many predictors and groups.

    Examples:
        >>> choose_method(40, 20, "lmg")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FeedbackError: exact LMG over 40 causes in 20 categories is too costly; use drivers='weights' or rank at level 'categories'
    """
    if how not in ("auto", "lmg", "weights"):
        raise FeedbackError(
            f"unknown drivers method {how!r}; use 'auto', 'lmg' or 'weights'"
        )
    if how == "weights":
        return "weights"
    if p <= MAX_EXACT:
        return "lmg"
    if groups <= MAX_EXACT and (
        how == "lmg" or group_lmg_cost(p, groups) <= LMG_BUDGET
    ):
        return "lmg by category"
    if how == "lmg":
        raise FeedbackError(
            f"exact LMG over {p} causes in {groups} categories is too costly; use drivers='weights' or rank at level 'categories'"
        )
    return "weights"


def _predictors(
    rows: Rows,
    feedback: FeedbackTable,
    scored: npt.NDArray[np.bool_],
    w: Floats,
    inputs: str,
) -> sparse.csc_array:
    """Return scored records x rows predictors: ratings where asked and present, else mentions.

    A missing rating takes the column's weighted mean, so it adds no information.
    """
    X = sparse.csr_array(rows.matrix[np.flatnonzero(scored)]).astype(np.float64)
    rated = [
        j for j, c in enumerate(rows.ids) if inputs == "auto" and c in feedback.ratings
    ]
    if not rated:
        return sparse.csc_array(X)
    ratings = np.column_stack(
        [_filled(feedback.ratings[rows.ids[j]], scored, w) for j in rated]
    )
    n_cols = len(rows.ids)
    keep = np.ones(n_cols)
    keep[rated] = 0.0
    mentions_part = X @ sparse.diags_array(keep)
    place = sparse.csr_array(
        (np.ones(len(rated)), (np.arange(len(rated)), rated)),
        shape=(len(rated), n_cols),
    )
    return sparse.csc_array(mentions_part + sparse.csr_array(ratings) @ place)


def _filled(column: npt.ArrayLike, scored: npt.NDArray[np.bool_], w: Floats) -> Floats:
    """Return a rating column over the scored records, missing values at the weighted mean."""
    values = np.asarray(column, dtype=np.float64)[scored]
    seen = np.isfinite(values)
    weights = w[scored][seen]
    fill = (
        float(np.average(values[seen], weights=weights)) if weights.sum() > 0 else 0.0
    )
    return np.where(seen, values, fill)


def drivers_fields(
    rows: Rows,
    feedback: FeedbackTable,
    w: Floats,
    *,
    how: Literal["auto", "lmg", "weights"] = "auto",
    inputs: Literal["auto", "mentions"] = "auto",
) -> dict[str, Any]:
    """Return per-row importance (share of R²), R² part, direction, method and R².

    Raises:
        FeedbackError: when no record has a score, or the method cannot run.

    Examples:
        >>> from fishbone.records import Mentions
        >>> X = sparse.csr_array(
        ...     np.array([[1, 0], [0, 1], [1, 1], [0, 0]], dtype=np.int8)
        ... )
        >>> rows = Rows(["a", "b"], ["A", "B"], ["k", "k"], [None, None], X)
        >>> fb = FeedbackTable.from_rows([{"score": s} for s in (1, 8, 3, 9)])
        >>> out = drivers_fields(rows, fb, np.ones(4))
        >>> [round(float(v), 3) for v in out["importance"]], out["direction"].tolist()
        ([0.994, 0.006], [-1, 1])
    """
    if inputs not in ("auto", "mentions"):
        raise FeedbackError(
            f"unknown drivers inputs {inputs!r}; use 'auto' or 'mentions'"
        )
    scored = np.isfinite(feedback.scores) & (w > 0)
    if not scored.any():
        raise FeedbackError(
            "no feedback record has a score, so drivers cannot be computed; map a score column or use method='pareto'"
        )
    X = _predictors(rows, feedback, scored, w, inputs)
    R, r = correlations(X, feedback.scores[scored], weights=w[scored])
    groups = np.unique(rows.categories, return_inverse=True)[1]
    method = choose_method(len(rows.ids), int(groups.max(initial=-1)) + 1, how)
    with single_blas_thread():
        if method == "weights":
            part = relative_weights(R, r)
        elif method == "lmg":
            part = lmg(R, r)
        else:
            part = group_lmg(R, r, groups.tolist())
    part = np.clip(part, 0.0, None)
    r2 = float(part.sum())
    share = part / r2 if r2 > 1e-12 else np.zeros_like(part)
    return {
        "importance": share,
        "r2_part": part,
        "direction": np.sign(r).astype(np.int64),
        "importance_method": method,
        "r2": r2,
    }
