"""The rows a ranking ranks: causes, top-level causes or categories, with rolled-up mentions.

A roll-up is a sparse matrix product: records x causes mentions times a causes
x rows 0/1 membership matrix (a cause belongs to itself and to each ancestor),
then clipped to 1, so a record mentioning two sub-causes of one parent counts
once for the parent, the same sets :func:`fishbone.graph.roll_up_sets` gives.

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> from fishbone.records import Mentions
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="E"),
    ...     categories=[Category(id="p", label="P")],
    ...     causes=[
    ...         Cause(id="a", label="A", category="p"),
    ...         Cause(id="b", label="B", category="p", parent="a"),
    ...         Cause(id="c", label="C", category="p", parent="a"),
    ...     ],
    ... )
    >>> m = Mentions.from_sets(["b", "c"], [{"b", "c"}, {"c"}])
    >>> rows = build_rows(d, m, 2)
    >>> rows.ids, rows.matrix.sum(axis=0).tolist()
    (['a', 'b', 'c'], [2, 1, 2])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy import sparse

from fishbone.exceptions import FeedbackError
from fishbone.model import Diagram
from fishbone.records import Mentions

__all__ = ["LEVELS", "Rows", "build_rows"]

LEVELS: Final = ("causes", "top", "categories")


@dataclass(frozen=True, slots=True)
class Rows:
    """What is ranked: ids, labels, categories, parents and a records x rows 0/1 matrix."""

    ids: list[str]
    labels: list[str]
    categories: list[str]
    parents: list[str | None]
    matrix: sparse.csr_array


def _ancestors(diagram: Diagram) -> dict[str, list[str]]:
    """Return each cause with its ancestors, nearest first (cycles and gaps cut short)."""
    parent = {c.id: c.parent for c in diagram.causes}
    out: dict[str, list[str]] = {}
    for cause in diagram.causes:
        chain = [cause.id]
        up = cause.parent
        while up is not None and up in parent and up not in chain:
            chain.append(up)
            up = parent[up]
        out[cause.id] = chain
    return out


def _cause_columns(
    diagram: Diagram, mentions: Mentions, n_records: int
) -> sparse.csr_array:
    """Return mentions as records x diagram causes, in document order."""
    index = {c.id: j for j, c in enumerate(diagram.causes)}
    unknown = [c for c in mentions.cause_ids if c not in index]
    if unknown:
        raise FeedbackError(
            f"mentions name cause {unknown[0]!r}, which the diagram does not have; match against this diagram"
        )
    if mentions.matrix.shape[0] != n_records:
        raise FeedbackError(
            f"mentions cover {mentions.matrix.shape[0]} records but the feedback has {n_records}; match this feedback table"
        )
    M = sparse.csr_array(mentions.matrix)
    if len(set(mentions.cause_ids)) != len(mentions.cause_ids):
        raise FeedbackError(
            "mentions name a cause in two columns; give each cause one column"
        )
    column = np.array([index[c] for c in mentions.cause_ids], dtype=np.int64)
    X = sparse.csr_array(
        (M.data.astype(np.float64), column[M.indices], M.indptr.copy()),
        shape=(n_records, len(diagram.causes)),
    )
    X.has_sorted_indices = False  # the remapped columns may be out of order
    return X


def build_rows(
    diagram: Diagram,
    mentions: Mentions,
    n_records: int,
    *,
    level: str = "causes",
    roll_up: bool = True,
) -> Rows:
    """Return the rows to rank at ``level``, each record counted once per row.

    Raises:
        FeedbackError: on an unknown level, or mentions that name causes the
            diagram lacks or cover another number of records.

    Examples:
        >>> from fishbone.model import Category, Cause, Diagram, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="p", label="P")],
        ...     causes=[Cause(id="a", label="A", category="p")],
        ... )
        >>> build_rows(d, Mentions.from_sets(["a"], [{"a"}]), 1, level="bones")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FeedbackError: unknown level 'bones'; use one of causes, top, categories
    """
    if level not in LEVELS:
        raise FeedbackError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    X = _cause_columns(diagram, mentions, n_records)
    chains = _ancestors(diagram)
    causes = diagram.causes
    if level == "categories":
        cats = diagram.categories
        ids = [c.id for c in cats]
        labels = [c.label for c in cats]
        categories = list(ids)
        parents: list[str | None] = [None] * len(ids)
        where = {c: j for j, c in enumerate(ids)}
        pairs = [
            (i, where[c.category]) for i, c in enumerate(causes) if c.category in where
        ]
    else:
        chosen = [c for c in causes if level == "causes" or c.parent is None]
        where = {c.id: j for j, c in enumerate(chosen)}
        ids = [c.id for c in chosen]
        labels = [c.label for c in chosen]
        categories = [c.category for c in chosen]
        parents = [c.parent for c in chosen]
        reach = level == "top" or roll_up
        pairs = [
            (i, where[a])
            for i, c in enumerate(causes)
            for a in (chains[c.id] if reach else [c.id])
            if a in where
        ]
    return Rows(ids, labels, categories, parents, _rolled(X, pairs, len(ids)))


def _rolled(
    X: sparse.csr_array, pairs: list[tuple[int, int]], n_rows: int
) -> sparse.csr_array:
    member = sparse.csr_array(
        (np.ones(len(pairs)), ([p[0] for p in pairs], [p[1] for p in pairs])),
        shape=(X.shape[1], n_rows),
    )
    product = sparse.csr_array(X @ member)
    product.eliminate_zeros()
    product.sort_indices()
    ones = np.ones(product.indices.shape[0], dtype=np.int8)
    return sparse.csr_array(
        (ones, product.indices, product.indptr), shape=(X.shape[0], n_rows)
    )
