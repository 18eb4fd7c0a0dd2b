"""Representative quotes for ranked causes: the most typical and the most negative comment.

*Typical* is the comment whose score is closest to the cause's mean score and,
among those, whose length is closest to the median length; *negative* is the
lowest-scored one. Remaining ties go to the alphabetically first text, so the
choice never depends on the order of the records. Without scores, typical is
by length alone. Work is per cause over its own records (the sparse column),
never a loop over all records.

Examples:
    >>> import numpy as np
    >>> from scipy import sparse
    >>> X = sparse.csc_array(np.array([[1], [1], [1], [0]], dtype=np.int8))
    >>> texts = ["slow refund again", "refund ok", "refunds are painfully slow", "x"]
    >>> pick_quotes(X, texts, ["1", "2", "3", "4"], np.array([6.0, 9.0, 1.0, 5.0]))
    [(('slow refund again', 'refunds are painfully slow', 'refund ok'), ('1', '3', '2'))]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = ["pick_quotes"]

Quotes = tuple[tuple[str, ...], tuple[str, ...]]
_LAST = 1e300  # sorts after every score (inf would make ties compare unequal)


def pick_quotes(
    matrix: sparse.csc_array,
    texts: Sequence[str],
    ids: Sequence[str],
    scores: npt.NDArray[np.float64],
    *,
    k: int = 3,
) -> list[Quotes]:
    """Return up to ``k`` distinct quotes and their record ids per column of ``matrix``.

    The order is: most typical, most negative (when there are scores), then the
    next most typical ones.

    Examples:
        >>> X = sparse.csc_array(np.zeros((2, 1), dtype=np.int8))
        >>> pick_quotes(X, ["a", "b"], ["1", "2"], np.array([1.0, 2.0]))
        [((), ())]
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    out: list[Quotes] = []
    for j in range(matrix.shape[1]):
        rows = matrix.indices[matrix.indptr[j] : matrix.indptr[j + 1]]
        rows = rows[lengths[rows] > 0]
        out.append(_quotes_for(rows, texts, ids, scores, lengths, k) if k else ((), ()))
    return out


def _quotes_for(
    rows: npt.NDArray[np.int32],
    texts: Sequence[str],
    ids: Sequence[str],
    scores: npt.NDArray[np.float64],
    lengths: npt.NDArray[np.int64],
    k: int,
) -> Quotes:
    if rows.shape[0] == 0:
        return (), ()
    s = scores[rows]
    scored = np.isfinite(s)
    length_gap = np.abs(lengths[rows] - np.median(lengths[rows]))
    typical_gap = np.abs(s - s[scored].mean()) if scored.any() else np.zeros(s.shape)
    typical_gap = np.where(scored | ~scored.any(), typical_gap, _LAST)
    typical = (typical_gap, length_gap)
    picked: list[int] = []
    seen: set[str] = set()
    _take(_ranked(rows, typical), texts, ids, picked, seen, 1)
    if scored.any():
        negative = (np.where(scored, s, _LAST), length_gap)
        _take(_ranked(rows, negative), texts, ids, picked, seen, 1)
    _take(_ranked(rows, typical), texts, ids, picked, seen, k - len(picked))
    return tuple(texts[i] for i in picked), tuple(ids[i] for i in picked)


def _ranked(
    rows: npt.NDArray[np.int32],
    keys: tuple[npt.NDArray[np.float64], ...],
) -> Iterator[npt.NDArray[np.int32]]:
    """Yield groups of rows with equal keys, best first, only as many as are asked for.

    Each step is a few vectorised passes, cheaper than sorting a large cause.
    """
    left = np.ones(rows.shape[0], dtype=bool)
    while left.any():
        group = left
        for key in keys:
            group = group & (key == key[group].min())
        left &= ~group
        yield rows[group]


def _take(
    groups: Iterator[npt.NDArray[np.int32]],
    texts: Sequence[str],
    ids: Sequence[str],
    picked: list[int],
    seen: set[str],
    count: int,
) -> None:
    """Append up to ``count`` rows with unseen texts, alphabetical within a group.

    Large tie groups are common (short stock answers), so the work per group is
    C-level passes (map, set, object-array compare), not a Python sort.
    """
    while count > 0:
        group = next(groups, None)
        if group is None:
            return
        found = list(map(texts.__getitem__, group.tolist()))
        for text in sorted(set(found) - seen)[:count]:
            same = group[np.asarray(found, dtype=object) == text]
            first = min(map(ids.__getitem__, same.tolist()))
            picked.append(
                int(same[list(map(ids.__getitem__, same.tolist())).index(first)])
            )
            seen.add(text)
            count -= 1
