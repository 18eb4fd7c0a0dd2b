"""The learned matcher: TF-IDF and one logistic regression per cause, trained on labelled records.

Records that carry explicit causes (or mapped tags) teach a light model that then
labels the others when it is at least ``threshold`` confident. Its quality on the
labelled part is measured by k-fold cross-validation (micro and macro precision,
recall and F1) so that a team knows how far to trust it.

scikit-learn is optional (the ``learn`` extra) and imported only here, lazily.

Examples:
    >>> texts = ["slow refund", "refund late", "rude staff", "staff rude"] * 10
    >>> y = np.array([[1, 0], [1, 0], [0, 1], [0, 1]] * 10, bool)
    >>> model = train(texts, y, seed=0)
    >>> (predict_proba(model, ["refund please", "staff"]) > 0.5).tolist()
    [[True, False], [False, True]]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fishbone.exceptions import FeedbackError
from fishbone.textnorm import normalise, stem

if TYPE_CHECKING:  # pragma: no cover
    from fishbone.matching import MatchReport
    from fishbone.records import FeedbackTable

__all__ = [
    "Model",
    "Quality",
    "add_learned",
    "cross_validate",
    "predict_proba",
    "train",
]

FOLDS: Final = 5
MIN_POSITIVES: Final = 2
"""A cause needs this many labelled examples to be learned at all."""

BoolMatrix = npt.NDArray[np.bool_]
FloatMatrix = npt.NDArray[np.float64]


def _sklearn() -> Any:
    try:
        import sklearn.feature_extraction.text as text
        import sklearn.linear_model as linear
    except ImportError:
        raise FeedbackError(
            "the learned matcher needs scikit-learn, which is not installed; "
            "install the extra with `uv sync --extra learn` (or pip install 'fishbone[learn]')"
        ) from None
    return text, linear


_stem = functools.lru_cache(maxsize=1 << 16)(stem)


def _tokens(text: str) -> list[str]:
    return [_stem(w) for w in normalise(text).split()]


@dataclass(slots=True)
class Model:
    """A fitted vectoriser and one classifier per cause (None: never predicted)."""

    vectoriser: Any
    classifiers: list[Any | None]


@dataclass(frozen=True, slots=True)
class Quality:
    """Cross-validated quality of the learned matcher on the labelled records."""

    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    labelled: int
    folds: int
    threshold: float

    def __str__(self) -> str:
        return (
            f"micro P/R/F1 {self.micro_precision:.2f}/{self.micro_recall:.2f}/{self.micro_f1:.2f}, "
            f"macro P/R/F1 {self.macro_precision:.2f}/{self.macro_recall:.2f}/{self.macro_f1:.2f} "
            f"({self.folds}-fold on {self.labelled} labelled records, threshold {self.threshold})"
        )


def train(texts: Sequence[str], y: BoolMatrix, *, seed: int = 0) -> Model:
    """Fit TF-IDF (stemmed words and word pairs) and a balanced logistic regression per cause.

    Raises:
        FeedbackError: when scikit-learn is not installed.

    Examples:
        >>> m = train(["a b", "c d"] * 3, np.array([[1, 0], [0, 1]] * 3, bool))
        >>> len(m.classifiers)
        2
    """
    text, linear = _sklearn()
    vectoriser = text.TfidfVectorizer(
        tokenizer=_tokens,
        lowercase=False,
        token_pattern=None,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=1,
    )
    x = vectoriser.fit_transform(texts)
    classifiers: list[Any | None] = []
    for j in range(y.shape[1]):
        positives = int(y[:, j].sum())
        if positives < MIN_POSITIVES or positives == len(y):
            classifiers.append(None)
            continue
        clf = linear.LogisticRegression(
            C=4.0,
            class_weight="balanced",
            solver="liblinear",
            dual=True,  # many more features than records: the dual is ~8x faster here
            random_state=seed,
        )
        classifiers.append(clf.fit(x, y[:, j]))
    return Model(vectoriser, classifiers)


def predict_proba(model: Model, texts: Sequence[str]) -> FloatMatrix:
    """Return each record's probability of mentioning each cause (0 for causes never learned).

    Examples:
        >>> m = train(["a b", "c d"] * 3, np.array([[1, 0], [0, 1]] * 3, bool))
        >>> predict_proba(m, ["a"]).shape
        (1, 2)
    """
    out = np.zeros((len(texts), len(model.classifiers)))
    if len(texts) == 0:
        return out
    x = model.vectoriser.transform(texts)
    for j, clf in enumerate(model.classifiers):
        if clf is not None:
            out[:, j] = clf.predict_proba(x)[:, 1]
    return out


def _folds(n: int, k: int, seed: int) -> list[npt.NDArray[np.int64]]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def cross_validate(
    texts: Sequence[str], y: BoolMatrix, *, threshold: float = 0.5, seed: int = 0
) -> Quality | None:
    """Return k-fold micro/macro precision, recall and F1 (None below 2 records per fold).

    Macro averages run over the causes with at least one labelled example.

    Examples:
        >>> y = np.array([[1, 0], [0, 1]] * 10, bool)
        >>> q = cross_validate(["slow refund", "rude staff"] * 10, y)
        >>> q.micro_f1, q.macro_f1
        (1.0, 1.0)
    """
    k = min(FOLDS, len(texts) // 2)
    if k < 2:
        return None
    predicted = np.zeros_like(y)
    for test in _folds(len(texts), k, seed):
        mask = np.ones(len(texts), bool)
        mask[test] = False
        model = train(
            [texts[i] for i in np.flatnonzero(mask).tolist()], y[mask], seed=seed
        )
        predicted[test] = (
            predict_proba(model, [texts[i] for i in test.tolist()]) >= threshold
        )
    return _quality(y, predicted, k, threshold)


def _ratio(a: Any, b: Any) -> Any:
    return np.divide(a, b, out=np.zeros(np.shape(a)), where=np.asarray(b) > 0)


def _quality(y: BoolMatrix, predicted: BoolMatrix, k: int, threshold: float) -> Quality:
    tp = (y & predicted).sum(axis=0)
    fp = (~y & predicted).sum(axis=0)
    fn = (y & ~predicted).sum(axis=0)
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = _ratio(2 * p * r, p + r)
    seen = y.sum(axis=0) > 0
    mp, mr = (
        float(_ratio(tp.sum(), tp.sum() + fp.sum())),
        float(_ratio(tp.sum(), tp.sum() + fn.sum())),
    )
    return Quality(
        micro_precision=mp,
        micro_recall=mr,
        micro_f1=float(_ratio(2 * mp * mr, mp + mr)),
        macro_precision=float(p[seen].mean()) if seen.any() else 0.0,
        macro_recall=float(r[seen].mean()) if seen.any() else 0.0,
        macro_f1=float(f1[seen].mean()) if seen.any() else 0.0,
        labelled=len(y),
        folds=k,
        threshold=threshold,
    )


def add_learned(
    report: MatchReport,
    table: FeedbackTable,
    labelled: BoolMatrix,
    *,
    threshold: float = 0.5,
    seed: int = 0,
) -> None:
    """Train on the labelled records, add confident causes to the others, and measure quality.

    Updates ``report`` in place: its mentions (with confidences), ``learned`` counts,
    ``unmatched`` and ``quality``.

    Raises:
        FeedbackError: when no record is labelled or scikit-learn is missing.

    Examples:
        >>> from fishbone.matching import match_report
        >>> from fishbone.model import Category, Cause, Diagram, Effect
        >>> from fishbone.records import FeedbackTable
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="k", label="K")],
        ...     causes=[
        ...         Cause(id="a", label="A", category="k"),
        ...         Cause(id="b", label="B", category="k"),
        ...     ],
        ... )
        >>> rows = [
        ...     {"text": "slow refund", "causes": ["a"]},
        ...     {"text": "rude staff", "causes": ["b"]},
        ... ] * 5
        >>> t = FeedbackTable.from_rows([*rows, {"text": "refund slow again"}])
        >>> r = match_report(d, t, learned=True)
        >>> r.learned.tolist(), r.quality.micro_f1
        ([1, 0], 1.0)
    """
    labelled = np.asarray(labelled, bool)
    if not labelled.any():
        raise FeedbackError(
            f"the learned matcher needs records with explicit causes or mapped tags, and none of the {len(table)} records has any; label some or drop --learned"
        )
    lab, todo = np.flatnonzero(labelled), np.flatnonzero(~labelled)
    matrix = report.mentions.matrix
    y = matrix[lab].toarray().astype(bool)
    lab_texts = [table.texts[i] for i in lab.tolist()]
    report.quality = cross_validate(lab_texts, y, threshold=threshold, seed=seed)
    proba = predict_proba(
        train(lab_texts, y, seed=seed), [table.texts[i] for i in todo.tolist()]
    )
    rows, cols = np.nonzero(proba >= threshold)
    new = sparse.csr_array(
        (np.ones(len(rows), np.int8), (todo[rows], cols)), shape=matrix.shape
    )
    added = new - new.multiply(matrix)
    report.learned = np.asarray(added.sum(axis=0), np.int64).ravel()
    merged = (matrix + new).tocsr()
    merged.data[:] = 1
    confidence = merged.astype(np.float64)
    confidence[todo[rows], cols] = np.maximum(
        proba[rows, cols], matrix[todo[rows], cols]
    )
    report.mentions.matrix = merged.astype(np.int8)
    report.mentions.confidence = confidence
    report.unmatched = np.flatnonzero(np.diff(merged.indptr) == 0).astype(np.int64)
