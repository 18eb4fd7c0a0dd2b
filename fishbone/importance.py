"""Relative importance of predictors for a score: LMG (Shapley R²) and relative weights.

Both methods split a linear model's R² among correlated predictors:

- **LMG** (Lindeman, Merenda and Gold; the Shapley value of R²) averages each
  predictor's R² gain over every order of entry. Exact, but it needs the R² of
  all 2^p subsets, so it is used up to :data:`MAX_EXACT` predictors, or over
  groups (say, the categories of a diagram) when there are more.
- **Relative weights** (Johnson 2000) regress the score on the orthogonal
  counterparts of the predictors and map the weights back; they sum to R²,
  are non-negative, track LMG closely and cost one eigendecomposition, so any
  number of predictors is fine.

Everything works from a (weighted) correlation matrix, which is built from
sparse mention indicators without densifying them.

Examples:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = X @ [1.0, 0.5, 0.0] + rng.normal(size=200)
    >>> shares = relative_importance(X, y)
    >>> [round(float(s), 2) for s in shares]
    [0.84, 0.16, 0.0]
    >>> bool(abs(shares.sum() - 1) < 1e-12)
    True
"""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
from scipy import linalg, sparse
from threadpoolctl import threadpool_limits

from fishbone.exceptions import FeedbackError

__all__ = [
    "LMG_BUDGET",
    "MAX_EXACT",
    "correlations",
    "group_lmg",
    "group_lmg_cost",
    "lmg",
    "relative_importance",
    "relative_weights",
    "single_blas_thread",
]

MAX_EXACT: Final = 15
"""Most predictors (or groups) for which exact LMG is computed (2^15 subsets)."""

LMG_BUDGET: Final = 1e9
"""Largest :func:`group_lmg_cost` the ranking spends on LMG by category.

300 predictors in 10 groups fit: 0.33 s measured on one BLAS thread of a busy
2-core machine (8 groups 0.16 s; 12 groups 1.3 s, so they get relative weights)."""

Floats = npt.NDArray[np.float64]
Matrix = npt.ArrayLike | sparse.sparray | sparse.spmatrix
_TINY: Final = 1e-12
_RIDGE: Final = 1e-10


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Run the block with BLAS/LAPACK on one thread.

    The matrices here are small (a few hundred predictors), where OpenBLAS's
    threads cost far more than they save: a 300 x 300 ``eigh`` took 0.2-2.4 s
    with threads on a busy 2-core machine and 0.02 s on one.

    Examples:
        >>> with single_blas_thread():
        ...     float(np.linalg.eigh(np.eye(2))[0].sum())
        2.0
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def correlations(
    X: Matrix, y: npt.ArrayLike, *, weights: npt.ArrayLike | None = None
) -> tuple[Floats, Floats]:
    """Return the (weighted) predictor correlation matrix and predictor-score correlations.

    ``X`` may be dense or scipy-sparse (records x predictors). A constant
    predictor gets zero correlations (and 1 on the diagonal), so it takes no share.

    Raises:
        FeedbackError: when ``y`` is constant or the shapes disagree.

    Examples:
        >>> Rxx, rxy = correlations([[0, 1], [1, 0], [1, 1], [0, 0]], [1, 2, 4, 3])
        >>> Rxx.tolist(), [round(float(r), 3) for r in rxy]
        ([[1.0, 0.0], [0.0, 1.0]], [0.447, 0.0])
    """
    y = np.asarray(y, dtype=np.float64)
    n = y.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    xs: sparse.csr_array | npt.NDArray[np.float64]
    if sparse.issparse(X):
        xs = sparse.csr_array(X, dtype=np.float64)
    else:
        xs = np.asarray(X, dtype=np.float64)
        xs = xs.reshape(xs.shape[0], -1) if xs.ndim else xs.reshape(0, 0)
    if xs.shape[0] != n or w.shape[0] != n:
        raise FeedbackError(
            f"X has {xs.shape[0]} rows, y {n} values and weights {w.shape[0]}; pass one of each per record"
        )
    w = w / w.sum()
    if isinstance(xs, sparse.csr_array):
        mu = np.asarray(xs.T @ w).ravel()
        record = np.repeat(np.arange(n), np.diff(xs.indptr))
        scaled = sparse.csr_array(
            (xs.data * w[record], xs.indices, xs.indptr), shape=xs.shape
        )
        cross = (xs.T @ scaled).toarray()
        xy = np.asarray(xs.T @ (w * y)).ravel()
    else:
        mu = w @ xs
        cross = xs.T @ (xs * w[:, None])
        xy = xs.T @ (w * y)
    my = float(w @ y)
    cov = cross - np.outer(mu, mu)
    cxy = xy - mu * my
    vy = float(w @ (y - my) ** 2)
    if vy <= _TINY:
        raise FeedbackError(f"every score is {my!r}; importance needs scores that vary")
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    live = sd > _TINY * max(1.0, float(sd.max(initial=0.0)))
    scale = np.where(live, sd, 1.0)
    R = cov / np.outer(scale, scale)
    R[~live, :] = 0.0
    R[:, ~live] = 0.0
    np.fill_diagonal(R, 1.0)
    r = np.where(live, cxy / (scale * math.sqrt(vy)), 0.0)
    return R, r


def relative_weights(R: Floats, r: Floats) -> Floats:
    """Return Johnson's raw relative weights from correlations; they sum to R².

    Examples:
        >>> w = relative_weights(np.eye(2), np.array([0.6, 0.3]))
        >>> [round(float(v), 2) for v in w]
        [0.36, 0.09]
    """
    vals, vecs = np.linalg.eigh(R)
    vals = np.clip(vals, 0.0, None)
    root = np.sqrt(vals)
    inv_root = np.where(root > 1e-9, 1.0 / np.where(root > 1e-9, root, 1.0), 0.0)
    lam = (vecs * root) @ vecs.T  # R^(1/2): loadings of X on its orthogonal twin Z
    beta = (vecs * inv_root) @ vecs.T @ r  # y regressed on Z
    return np.asarray((lam**2) @ (beta**2), dtype=np.float64)


def _subset_r2(R: Floats, r: Floats) -> Floats:
    """Return R² of every predictor subset, indexed by bit mask."""
    p = r.shape[0]
    out = np.zeros(1 << p)
    for k in range(1, p + 1):
        idx = np.array(list(itertools.combinations(range(p), k)), dtype=np.int64)
        A = R[idx[:, :, None], idx[:, None, :]]
        b = r[idx]
        try:
            with np.errstate(all="ignore"):
                beta = np.linalg.solve(A, b[..., None])[..., 0]
        except np.linalg.LinAlgError:
            beta = np.full_like(b, np.nan)
        r2 = np.einsum("ij,ij->i", beta, b)
        bad = ~np.isfinite(r2) | (r2 > 1.0 + 1e-9) | (r2 < -1e-9)
        if bad.any():  # singular subsets (duplicate predictors): least squares
            pinv = np.linalg.pinv(A[bad], hermitian=True)
            r2[bad] = np.einsum("ij,ij->i", (pinv @ b[bad][..., None])[..., 0], b[bad])
        masks = (np.int64(1) << idx).sum(axis=1)
        out[masks] = r2
    return out


def _shapley(r2: Floats, p: int) -> Floats:
    """Return the Shapley value of each player from a value per coalition bit mask."""
    masks = np.arange(1 << p, dtype=np.int64)
    size = np.zeros(1 << p, dtype=np.int64)
    for j in range(p):
        size += (masks >> j) & 1
    fact = np.array([math.factorial(k) for k in range(p + 1)], dtype=np.float64)
    weight = fact[size] * fact[p - size - 1].clip(min=1) / fact[p]
    out = np.empty(p)
    for j in range(p):
        without = masks[((masks >> j) & 1) == 0]
        gain = r2[without | (1 << j)] - r2[without]
        out[j] = float(weight[without] @ gain)
    return out


def lmg(R: Floats, r: Floats) -> Floats:
    """Return exact LMG (Shapley R²) contributions; they sum to the full model's R².

    Raises:
        FeedbackError: when there are more than :data:`MAX_EXACT` predictors.

    Examples:
        >>> R = np.array([[1.0, 0.5], [0.5, 1.0]])
        >>> [round(float(v), 4) for v in lmg(R, np.array([0.5, 0.5]))]
        [0.1667, 0.1667]
    """
    p = r.shape[0]
    if p > MAX_EXACT:
        raise FeedbackError(
            f"exact LMG over {p} predictors is too costly; group them (at most {MAX_EXACT} groups) or use method='weights'"
        )
    if p == 0:
        return np.zeros(0)
    return _shapley(_subset_r2(R, r), p)


def group_lmg(R: Floats, r: Floats, groups: Sequence[int]) -> Floats:
    """Return LMG over groups of predictors, split within a group by relative weights.

    Each group is one player of the Shapley game (its R² gain is that of all its
    predictors entering together); a group's value is then shared among its
    predictors in proportion to their relative weights.

    Raises:
        FeedbackError: when there are more than :data:`MAX_EXACT` groups.

    Examples:
        >>> v = group_lmg(np.eye(3), np.array([0.5, 0.3, 0.1]), [0, 0, 1])
        >>> [round(float(x), 2) for x in v]
        [0.25, 0.09, 0.01]
    """
    labels, inverse = np.unique(np.asarray(groups), return_inverse=True)
    g = labels.shape[0]
    if g > MAX_EXACT:
        raise FeedbackError(
            f"exact LMG over {g} groups is too costly; use at most {MAX_EXACT} groups or method='weights'"
        )
    members = [np.flatnonzero(inverse == k) for k in range(g)]
    per_group = _shapley(_union_r2(R, r, members), g)
    rw = relative_weights(R, r)
    totals = np.bincount(inverse, weights=rw, minlength=g)
    counts = np.bincount(inverse, minlength=g)
    within = np.where(
        totals[inverse] > _TINY,
        rw / np.where(totals[inverse] > _TINY, totals[inverse], 1.0),
        1.0 / counts[inverse],
    )
    return np.asarray(per_group[inverse] * within, dtype=np.float64)


def _union_r2(R: Floats, r: Floats, members: list[npt.NDArray[np.intp]]) -> Floats:
    """Return R² of every union of groups, by bit mask, growing one Cholesky factor.

    Subsets are visited depth first, each extending its parent's factor by one
    group's block (a triangular solve and a small Cholesky), so a union costs
    about p_S² p_G instead of a fresh solve of p_S + p_G unknowns. A tiny ridge
    keeps duplicate predictors (a singular R) from stopping the factorisation.
    """
    out = np.zeros(1 << len(members))

    def visit(
        mask: int, last: int, cols: npt.NDArray[np.intp], L: Floats, z: Floats
    ) -> None:
        for k in range(last + 1, len(members)):
            grown = _extend(R, r, cols, members[k], L, z)
            out[mask | 1 << k] = float(grown[2] @ grown[2])
            visit(mask | 1 << k, k, *grown)

    visit(0, -1, np.zeros(0, dtype=np.intp), np.zeros((0, 0)), np.zeros(0))
    return out


def _extend(
    R: Floats,
    r: Floats,
    cols: npt.NDArray[np.intp],
    new: npt.NDArray[np.intp],
    L: Floats,
    z: Floats,
) -> tuple[npt.NDArray[np.intp], Floats, Floats]:
    """Return columns, Cholesky factor and whitened r of ``cols`` plus ``new``."""
    B = linalg.solve_triangular(L, R[np.ix_(cols, new)], lower=True, check_finite=False)
    C = R[np.ix_(new, new)] - B.T @ B
    ridge = _RIDGE
    while True:
        try:
            L_new = linalg.cholesky(
                C + ridge * np.eye(new.shape[0]), lower=True, check_finite=False
            )
            break
        except linalg.LinAlgError:
            ridge *= 100
    z_new = linalg.solve_triangular(
        L_new, r[new] - B.T @ z, lower=True, check_finite=False
    )
    n, m = cols.shape[0], new.shape[0]
    grown = np.zeros((n + m, n + m))
    grown[:n, :n] = L
    grown[n:, :n] = B.T
    grown[n:, n:] = L_new
    return np.concatenate([cols, new]), grown, np.concatenate([z, z_new])


def group_lmg_cost(p: int, groups: int) -> float:
    """Return a rough flop count of :func:`group_lmg`: 2^groups block extensions.

    Each extends a factor of about p/2 predictors by a group of p/groups.

    Examples:
        >>> group_lmg_cost(300, 6) < LMG_BUDGET < group_lmg_cost(300, 12)
        True
    """
    return float(2**groups) * (p / 2) ** 2 * (p / max(groups, 1))


def relative_importance(
    X: Matrix,
    y: npt.ArrayLike,
    *,
    method: Literal["lmg", "weights"] = "lmg",
    weights: npt.ArrayLike | None = None,
    groups: Sequence[int] | None = None,
    normalize: bool = True,
) -> Floats:
    """Return each predictor's share of the R² of ``y`` regressed on ``X``.

    Args:
        X: records x predictors, dense or scipy-sparse (mention indicators or ratings).
        y: one score per record.
        method: ``"lmg"`` (exact Shapley R², at most :data:`MAX_EXACT` predictors
            or groups) or ``"weights"`` (Johnson's relative weights, any number).
        weights: optional non-negative record weights (say, recency).
        groups: optional group number per predictor: LMG runs over the groups and
            splits each group's value by relative weights.
        normalize: return shares summing to 1 (relaimpo's ``rela=TRUE``); when
            False return the R² contributions themselves.

    Returns:
        One non-negative value per predictor, in column order.

    Raises:
        FeedbackError: on an unknown method, constant scores, or too many
            predictors for exact LMG.

    Examples:
        >>> X = [[1, 0], [0, 1], [1, 1], [0, 0], [1, 0], [0, 0]]
        >>> y = [2.0, 1.0, 3.0, 0.0, 2.5, 0.5]
        >>> [round(float(s), 3) for s in relative_importance(X, y, method="weights")]
        [0.889, 0.111]
        >>> relative_importance(X, y, method="magic")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FeedbackError: unknown importance method 'magic'; use 'lmg' or 'weights'
    """
    if method not in ("lmg", "weights"):
        raise FeedbackError(
            f"unknown importance method {method!r}; use 'lmg' or 'weights'"
        )
    R, r = correlations(X, y, weights=weights)
    with single_blas_thread():
        if method == "weights":
            values = relative_weights(R, r)
        elif groups is not None:
            values = group_lmg(R, r, groups)
        else:
            values = lmg(R, r)
    values = np.clip(values, 0.0, None)
    total = float(values.sum())
    if normalize and total > _TINY:
        return np.asarray(values / total, dtype=np.float64)
    return np.asarray(values, dtype=np.float64)
