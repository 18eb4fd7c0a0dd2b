"""The statistics behind ranking: intervals, weights, tests and the impact bootstrap.

Every function is vectorised over causes (numpy arrays in, arrays out); none
loops over records.

Examples:
    >>> lo, hi = wilson_interval(8, 10)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.4902, 0.9433)
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.005]).tolist()
    [0.02, 0.04, 0.04, 0.02]
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from fishbone.exceptions import FeedbackError

__all__ = [
    "BOOT_EXACT_LIMIT",
    "MAX_LEVELS",
    "benjamini_hochberg",
    "bootstrap_impact",
    "impact",
    "kish_n",
    "nps_points",
    "recency_weights",
    "score_levels",
    "two_proportion_test",
    "wilson_interval",
]

Floats = npt.NDArray[np.float64]

MAX_LEVELS: Final = 64
"""Scores with more distinct values are binned into this many levels for the bootstrap."""

BOOT_EXACT_LIMIT: Final = 10_000
"""Groups this large draw bootstrap means from a Gaussian with the bootstrap's own moments."""


def _z(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise FeedbackError(
            f"confidence {confidence!r} is not between 0 and 1; use say 0.95"
        )
    return float(special.ndtri(0.5 + confidence / 2))


def wilson_interval(
    k: npt.ArrayLike, n: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[Floats, Floats]:
    """Return the Wilson score interval (lo, hi) of the proportion k / n.

    ``k`` and ``n`` may be arrays and need not be integers (effective counts
    under weighting). Where ``n`` is 0 the interval is (0, 1).

    Raises:
        FeedbackError: when ``confidence`` is not in (0, 1).

    Examples:
        >>> [round(float(x), 4) for x in wilson_interval(0, 20)]
        [0.0, 0.1611]
    """
    z = _z(confidence)
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    safe = np.where(n > 0, n, 1.0)
    p = np.where(n > 0, k / safe, 0.0)
    denom = 1 + z * z / safe
    centre = (p + z * z / (2 * safe)) / denom
    half = z / denom * np.sqrt(p * (1 - p) / safe + z * z / (4 * safe * safe))
    lo = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    hi = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    return lo, hi


def kish_n(weights: npt.ArrayLike) -> float:
    """Return Kish's effective sample size (sum w)^2 / sum w^2.

    Examples:
        >>> kish_n([1, 1, 1, 1]), kish_n([1.0, 0.5])
        (4.0, 1.8)
    """
    w = np.asarray(weights, dtype=np.float64)
    sq = float(w @ w)
    return float(w.sum() ** 2 / sq) if sq > 0 else 0.0


def recency_weights(
    dates: npt.NDArray[np.datetime64],
    *,
    half_life_days: float,
    now: dt.date | np.datetime64 | str | None = None,
) -> Floats:
    """Return 2^(-age / half-life) per record; undated records get weight 0.

    ``now`` defaults to the latest date in the data, so a ranking does not
    change with the day it is run. Future dates count as age 0.

    Raises:
        FeedbackError: when the half-life is not positive or no record has a date.

    Examples:
        >>> d = np.array(["2024-01-31", "2024-01-01", "NaT"], "datetime64[D]")
        >>> recency_weights(d, half_life_days=30).tolist()
        [1.0, 0.5, 0.0]
    """
    if not half_life_days > 0:
        raise FeedbackError(
            f"half-life {half_life_days!r} days is not positive; use say 90"
        )
    dated = ~np.isnat(dates)
    if not dated.any():
        raise FeedbackError(
            "no feedback record has a date, so recency cannot weight them; drop the half-life or map a date column"
        )
    end = dates[dated].max() if now is None else np.datetime64(str(now)[:10], "D")
    age = np.clip((end - dates).astype("timedelta64[D]").astype(np.float64), 0, None)
    return np.where(dated, np.exp2(-np.where(dated, age, 0.0) / half_life_days), 0.0)


def nps_points(scores: npt.ArrayLike) -> Floats:
    """Map 0-10 scores to NPS points: promoters (9-10) 100, passives 0, detractors (0-6) -100.

    The mean of these points is the NPS, so impact on NPS is impact on their mean.

    Examples:
        >>> nps_points([10, 9, 8, 7, 6, 0, np.nan]).tolist()
        [100.0, 100.0, 0.0, 0.0, -100.0, -100.0, nan]
    """
    s = np.asarray(scores, dtype=np.float64)
    points = np.where(s >= 9, 100.0, np.where(s <= 6, -100.0, 0.0))
    return np.where(np.isnan(s), np.nan, points)


def impact(
    n_with: npt.ArrayLike, sum_with: npt.ArrayLike, n_all: float, sum_all: float
) -> Floats:
    """Return mean of all minus mean of the rest, n_c (S_c - S) / (N - n_c), per cause.

    Where every record mentions the cause there is no "rest" and impact is 0.

    Examples:
        >>> impact([2], [4.0], 4, 16.0).tolist()  # means: with 2, all 4, rest 6
        [-2.0]
    """
    n_c = np.asarray(n_with, dtype=np.float64)
    s_c = np.asarray(sum_with, dtype=np.float64)
    mean_all = sum_all / n_all if n_all > 0 else 0.0
    mean_with = np.divide(s_c, n_c, out=np.zeros_like(s_c), where=n_c > 0)
    rest = n_all - n_c
    return np.divide(
        n_c * (mean_with - mean_all), rest, out=np.zeros_like(s_c), where=rest > 0
    )


def _small_integers(scores: Floats) -> bool:
    """Whether every score is a whole number in a range of at most 10,000."""
    low, high = float(scores.min()), float(scores.max())
    return high - low <= 10_000 and bool(np.all(scores == np.round(scores)))


def score_levels(scores: Floats) -> tuple[npt.NDArray[np.intp], Floats]:
    """Return each score's level index and the level values (at most :data:`MAX_LEVELS`).

    Scores with few distinct values keep them exactly; others are cut into
    equal-width bins, each represented by the mean of its scores.

    Examples:
        >>> idx, lv = score_levels(np.array([3.0, 9.0, 3.0]))
        >>> idx.tolist(), lv.tolist()
        ([0, 1, 0], [3.0, 9.0])
    """
    if scores.size and _small_integers(scores):  # the common case, without sorting
        low = int(scores.min())
        shifted = (scores - low).astype(np.intp)
        present = np.bincount(shifted) > 0
        remap = np.cumsum(present) - 1
        if int(present.sum()) <= MAX_LEVELS:
            levels = (np.flatnonzero(present) + low).astype(np.float64)
            return remap[shifted].astype(np.intp), levels
    levels, inverse = np.unique(scores, return_inverse=True)
    if levels.shape[0] <= MAX_LEVELS:
        return inverse.astype(np.intp), levels.astype(np.float64)
    edges = np.linspace(levels[0], levels[-1], MAX_LEVELS + 1)
    idx = np.clip(np.searchsorted(edges, scores, side="right") - 1, 0, MAX_LEVELS - 1)
    counts = np.bincount(idx, minlength=MAX_LEVELS)
    sums = np.bincount(idx, weights=scores, minlength=MAX_LEVELS)
    used = counts > 0
    remap = np.cumsum(used) - 1
    return remap[idx].astype(np.intp), sums[used] / counts[used]


def _boot_means(
    rng: np.random.Generator, k: npt.NDArray[np.int64], p: Floats, levels: Floats
) -> Floats:
    """Draw bootstrap means of k records from level probabilities p (causes x levels)."""
    mean = p @ levels
    sd = np.sqrt(np.clip(p @ levels**2 - mean**2, 0.0, None))
    out = np.empty(k.shape)
    small = k.max(axis=1) < BOOT_EXACT_LIMIT
    rows = np.flatnonzero(small)
    step = max(1, 2_000_000 // max(k.shape[1] * levels.shape[0], 1))  # ~16 MB of draws
    for start in range(0, rows.shape[0], step):
        part = rows[start : start + step]
        draws = rng.multinomial(k[part], p[part][:, None, :])
        out[part] = draws @ levels / np.where(k[part] > 0, k[part], 1)
    big = ~small
    if big.any():
        noise = rng.standard_normal(k[big].shape)
        out[big] = mean[big, None] + sd[big, None] * noise / np.sqrt(
            np.maximum(k[big], 1)
        )
    return out


def bootstrap_impact(
    hist_with: Floats,
    hist_all: Floats,
    levels: Floats,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    centre: Floats | None = None,
) -> tuple[Floats, Floats]:
    """Return the percentile bootstrap interval (lo, hi) of each cause's impact.

    Resampling N records with replacement, the number mentioning a cause is
    Binomial(N, n_c / N) and each group's records are drawn from its own score
    distribution, so the bootstrap is run on per-cause score histograms
    (causes x levels) instead of on records: exact and independent of N.
    Groups of :data:`BOOT_EXACT_LIMIT` or more use Gaussian draws of their mean.
    Seeded, so the same data give the same interval.

    Args:
        hist_with: records mentioning each cause per score level (causes x levels).
        hist_all: records per score level over all scored records.
        levels: the score of each level.
        n_boot: bootstrap resamples.
        confidence: interval coverage.
        seed: random seed.
        centre: exact impacts to centre the interval on, when ``levels`` are
            binned scores whose impact differs slightly from the exact one.

    Examples:
        >>> lo, hi = bootstrap_impact(
        ...     np.array([[5.0, 1.0]]), np.array([6.0, 14.0]), np.array([0.0, 10.0])
        ... )
        >>> bool(lo[0] < -2.28 < hi[0] < 0)
        True
    """
    _z(confidence)  # validates it
    rng = np.random.default_rng(seed)
    n_all = round(float(hist_all.sum()))
    k_with = hist_with.sum(axis=1)
    rest = np.clip(hist_all[None, :] - hist_with, 0.0, None)
    p_with = hist_with / np.where(k_with > 0, k_with, 1.0)[:, None]
    p_rest = rest / np.where(rest.sum(axis=1) > 0, rest.sum(axis=1), 1.0)[:, None]
    f = np.clip(k_with / max(n_all, 1), 0.0, 1.0)
    kb = rng.binomial(n_all, np.repeat(f[:, None], n_boot, axis=1)).astype(np.int64)
    m_with = _boot_means(rng, kb, p_with, levels)
    m_rest = _boot_means(rng, n_all - kb, p_rest, levels)
    boot = np.where(kb < n_all, kb / max(n_all, 1) * (m_with - m_rest), 0.0)
    binned = np.where(
        rest.sum(axis=1) > 0, f * (p_with @ levels - p_rest @ levels), 0.0
    )
    shift = 0.0 if centre is None else centre - binned
    tail = (1 - confidence) / 2 * 100
    lo, hi = np.percentile(boot, [tail, 100 - tail], axis=1)
    return lo + shift, hi + shift


def two_proportion_test(
    k1: npt.ArrayLike, n1: npt.ArrayLike, k2: npt.ArrayLike, n2: npt.ArrayLike
) -> tuple[Floats, Floats]:
    """Return the pooled two-proportion z statistic and two-sided p-value of k1/n1 vs k2/n2.

    Examples:
        >>> z, p = two_proportion_test(30, 100, 15, 100)
        >>> round(float(z), 3), round(float(p), 4)
        (2.54, 0.0111)
    """
    k1, n1, k2, n2 = (np.asarray(a, dtype=np.float64) for a in (k1, n1, k2, n2))
    pooled = np.divide(k1 + k2, n1 + n2, out=np.zeros_like(k1 + k2), where=n1 + n2 > 0)
    var = (
        pooled
        * (1 - pooled)
        * (
            np.divide(1.0, n1, out=np.zeros_like(n1), where=n1 > 0)
            + np.divide(1.0, n2, out=np.zeros_like(n2), where=n2 > 0)
        )
    )
    diff = np.divide(k1, n1, out=np.zeros_like(k1), where=n1 > 0) - np.divide(
        k2, n2, out=np.zeros_like(k2), where=n2 > 0
    )
    z = np.divide(diff, np.sqrt(var), out=np.zeros_like(diff), where=var > 0)
    return z, 2 * stats.norm.sf(np.abs(z))


def benjamini_hochberg(p_values: npt.ArrayLike) -> Floats:
    """Return Benjamini-Hochberg adjusted p-values (q-values), in input order.

    Examples:
        >>> benjamini_hochberg([0.5, 0.01]).tolist()
        [0.5, 0.02]
    """
    p = np.asarray(p_values, dtype=np.float64)
    m = p.shape[0]
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.clip(q, 0.0, 1.0)
    return out
