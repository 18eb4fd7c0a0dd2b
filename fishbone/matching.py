"""Feedback text -> causes: explicit causes and tags first, then signals, then a learned model.

1. **Explicit**: a record's ``causes`` (cause ids) and its ``tags`` sent to causes
   by ``tag_map``. A record with any explicit cause is taken as fully labelled:
   nothing else is added to it (and it is training data for the learned matcher).
2. **Signals**: each cause's ``signals`` phrases, found with Aho-Corasick in text
   normalised by :mod:`fishbone.textnorm` (case, accents, punctuation, simple
   plural and verb endings). Phrases match whole words only: ``app`` does not match
   ``happy`` and ``refund`` does not match ``refundable`` (a different word; add it
   as a signal when it should count). A comment may match several causes.
3. **Learned** (optional, :mod:`fishbone.learned`): trained on the explicitly
   labelled records, it adds the causes it is confident about to the rest.

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> from fishbone.records import FeedbackTable
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="Happy customers", kind="goal"),
    ...     categories=[Category(id="p", label="Processes")],
    ...     causes=[
    ...         Cause(
    ...             id="refunds", label="Fast refunds", category="p", signals=["refund"]
    ...         ),
    ...         Cause(
    ...             id="app",
    ...             label="Working app",
    ...             category="p",
    ...             signals=["app", "login"],
    ...         ),
    ...     ],
    ... )
    >>> t = FeedbackTable.from_rows(
    ...     [
    ...         {"text": "Refunds took weeks"},
    ...         {"text": "Happy, the APP is great"},
    ...         {"text": "could not log in", "tags": ["login-bug"]},
    ...     ]
    ... )
    >>> m = match(d, t, tag_map={"login-bug": "app"})
    >>> m.counts().tolist()
    [1, 2]
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse

from fishbone.exceptions import FeedbackError
from fishbone.model import Diagram
from fishbone.records import FeedbackTable, Mentions
from fishbone.textnorm import MAX_GAP, SEPARATOR, normalise, normalise_joined, variants

__all__ = ["MatchReport", "SignalMatcher", "match", "match_report"]

CHUNK: Final = 32_768
"""Records normalised and scanned together (bounded memory, one C pass each)."""
MAX_VARIANTS: Final = 4096
"""At most this many forms (inflections x gaps) of one multi-word signal are searched for."""
_GAPS: Final = tuple(" " * k for k in range(1, MAX_GAP + 1))

Learned = bool | Literal["auto"]
IntArray = npt.NDArray[np.int64]


class SignalMatcher:
    """An Aho-Corasick automaton over every inflected form of every cause's signals.

    Args:
        signals: cause id -> signal phrases, in the column order of the result.

    Examples:
        >>> sm = SignalMatcher({"wait": ["long wait"], "staff": ["rude", "waiter"]})
        >>> rows, cols = sm.find(["Long waits, rude waiters", "fine", "Waiting"])
        >>> sorted(zip(rows.tolist(), cols.tolist()))
        [(0, 0), (0, 1)]
    """

    def __init__(self, signals: Mapping[str, Sequence[str]]) -> None:
        import ahocorasick

        self.cause_ids = list(signals)
        groups: dict[str, set[int]] = {}
        for j, phrases in enumerate(signals.values()):
            for phrase in phrases:
                for pattern in _patterns(phrase):
                    groups.setdefault(pattern, set()).add(j)
        self._automaton = ahocorasick.Automaton()
        members = [tuple(sorted(js)) for js in groups.values()]
        for gid, pattern in enumerate(groups):
            self._automaton.add_word(pattern, gid)
        self._ptr = np.cumsum([0, *map(len, members)], dtype=np.int64)
        self._members = np.fromiter(itertools.chain.from_iterable(members), np.int64)
        self.patterns = len(groups)
        if groups:
            self._automaton.make_automaton()

    def find(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """Return (record, column) pairs, unique and sorted, for every signal found.

        Examples:
            >>> SignalMatcher({"a": ["app"]}).find(["happy", "the app"])[0].tolist()
            [1]
        """
        rows: list[IntArray] = []
        cols: list[IntArray] = []
        if self.patterns:
            for start in range(0, len(texts), CHUNK):
                r, c = self._find_chunk(texts[start : start + CHUNK])
                rows.append(r + start)
                cols.append(c)
        return _unique_pairs(rows, cols, len(self.cause_ids))

    def _find_chunk(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        text = normalise_joined(texts, passes=1)
        hits = np.fromiter(
            itertools.chain.from_iterable(self._automaton.iter(text)), np.int64
        ).reshape(-1, 2)
        records = np.searchsorted(_separators(text), hits[:, 0])
        lo, hi = self._ptr[hits[:, 1]], self._ptr[hits[:, 1] + 1]
        sizes = hi - lo
        if np.all(sizes == 1):
            return records, self._members[lo]
        offsets = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return np.repeat(records, sizes), self._members[np.repeat(lo, sizes) + offsets]


@functools.lru_cache(maxsize=8)
def _matcher(signals: tuple[tuple[str, tuple[str, ...]], ...]) -> SignalMatcher:
    """Build (once per set of signals: a server matches often) the automaton."""
    return SignalMatcher(dict(signals))


def _patterns(phrase: str) -> list[str]:
    """Return the space-padded inflected forms of ``phrase``, words 1 to MAX_GAP spaces apart.

    Comments are searched after one halving pass over their spaces, so this matches
    words separated by up to four non-word characters.
    """
    words = normalise(phrase).split()
    if not words:
        return []
    forms = [sorted(variants(w)) for w in words]
    gaps = list(itertools.product(_GAPS, repeat=len(words) - 1))
    found = (
        " " + "".join(w + g for w, g in zip(combo, (*gap, " "), strict=True))
        for combo in itertools.product(*forms)
        for gap in gaps
    )
    return list(itertools.islice(found, MAX_VARIANTS))


def _separators(text: str) -> IntArray:
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), np.uint8)
    else:
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    return np.flatnonzero(codes == ord(SEPARATOR)).astype(np.int64)


def _unique_pairs(
    rows: list[IntArray], cols: list[IntArray], width: int
) -> tuple[IntArray, IntArray]:
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    width = max(width, 1)
    keys = np.sort(np.concatenate(rows) * width + np.concatenate(cols))
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    return keys // width, keys % width


@dataclass(slots=True)
class MatchReport:
    """What matching found, for people: mentions plus where each came from.

    Attributes:
        mentions: the records x causes result.
        explicit, signals, learned: per cause, how many records got it from each source.
        labelled: how many records carried explicit causes (or mapped tags).
        unmatched: indices of the records that mention no cause.
        unknown_causes: explicit cause ids (and how often) that the diagram lacks.
        quality: the learned matcher's cross-validated quality, when it ran.
        notes: one sentence per thing a person should know (e.g. learned skipped).
    """

    mentions: Mentions
    explicit: IntArray
    signals: IntArray
    learned: IntArray
    labelled: int
    unmatched: IntArray
    unknown_causes: dict[str, int] = field(default_factory=dict)
    quality: Any = None
    notes: list[str] = field(default_factory=list)
    _csc: Any = field(default=None, repr=False, compare=False)

    def examples(self, cause_id: str, k: int = 3) -> list[int]:
        """Return the indices of up to ``k`` records that mention ``cause_id``.

        Examples:
            >>> m = Mentions.from_sets(["a"], [{"a"}, set(), {"a"}])
            >>> z = np.zeros(1, np.int64)
            >>> MatchReport(m, z, z, z, 0, np.array([1])).examples("a")
            [0, 2]
        """
        j = self.mentions.cause_ids.index(cause_id)
        if self._csc is None or self._csc[0] is not self.mentions.matrix:
            self._csc = (
                self.mentions.matrix,
                self.mentions.matrix.tocsc(),
            )  # once, not per cause
        csc = self._csc[1]
        return [int(i) for i in csc.indices[csc.indptr[j] : csc.indptr[j + 1]][:k]]


def match(
    diagram: Diagram,
    table: FeedbackTable,
    *,
    tag_map: Mapping[str, str | Sequence[str]] | None = None,
    learned: Learned = False,
    threshold: float = 0.5,
) -> Mentions:
    """Return which records mention which causes (columns in diagram order).

    Args:
        diagram: the causes and their signals.
        table: the feedback.
        tag_map: tag -> cause id (or ids); tags compare case-insensitively.
        learned: train a classifier on the explicitly labelled records and label
            the rest (``"auto"``: when at least 20 records are labelled and
            scikit-learn is installed).
        threshold: the learned matcher's minimum confidence, in (0, 1).

    Returns:
        Mentions with one column per cause of ``diagram``.

    Raises:
        FeedbackError: when ``tag_map`` names an unknown cause, or ``learned=True``
            and no record is labelled or scikit-learn is missing.

    Examples:
        >>> from fishbone.model import Category, Cause, Diagram, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="k", label="K")],
        ...     causes=[Cause(id="q", label="Queues", category="k", signals=["queue"])],
        ... )
        >>> match(d, FeedbackTable.from_rows([{"text": "Queuing for ages"}])).counts()
        array([1])
    """
    return match_report(
        diagram, table, tag_map=tag_map, learned=learned, threshold=threshold
    ).mentions


def match_report(
    diagram: Diagram,
    table: FeedbackTable,
    *,
    tag_map: Mapping[str, str | Sequence[str]] | None = None,
    learned: Learned = False,
    threshold: float = 0.5,
) -> MatchReport:
    """Match like :func:`match` and say where each mention came from.

    Raises:
        FeedbackError: as :func:`match`.

    Examples:
        >>> from fishbone.model import Category, Cause, Diagram, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="k", label="K")],
        ...     causes=[Cause(id="q", label="Queues", category="k", signals=["queue"])],
        ... )
        >>> r = match_report(
        ...     d, FeedbackTable.from_rows([{"text": "ok"}, {"causes": ["q"]}])
        ... )
        >>> r.explicit.tolist(), r.signals.tolist(), r.unmatched.tolist()
        ([1], [0], [0])
    """
    if not 0.0 < threshold < 1.0:
        raise FeedbackError(
            f"threshold {threshold!r} must lie between 0 and 1 (exclusive)"
        )
    cause_ids = [c.id for c in diagram.causes]
    column = {c: j for j, c in enumerate(cause_ids)}
    tags = _tag_columns(tag_map or {}, column)
    unknown: dict[str, int] = {}
    ex_rows, ex_cols = _explicit(table, column, tags, unknown)
    labelled = np.zeros(len(table), bool)
    labelled[ex_rows] = True
    todo = np.flatnonzero(~labelled)
    matcher = _matcher(tuple((c.id, tuple(c.signals)) for c in diagram.causes))
    texts = (
        table.texts
        if len(todo) == len(table)
        else [table.texts[i] for i in todo.tolist()]
    )
    sig_rows, sig_cols = matcher.find(texts)
    report = _assemble(
        cause_ids, len(table), (ex_rows, ex_cols), (todo[sig_rows], sig_cols)
    )
    report.labelled, report.unknown_causes = int(labelled.sum()), unknown
    if _wants_learned(learned, report, len(todo)):
        from fishbone.learned import add_learned

        add_learned(report, table, labelled, threshold=threshold)
    return report


def _tag_columns(
    tag_map: Mapping[str, str | Sequence[str]], column: Mapping[str, int]
) -> dict[str, tuple[int, ...]]:
    out: dict[str, tuple[int, ...]] = {}
    for tag, target in tag_map.items():
        ids = [target] if isinstance(target, str) else list(target)
        for cid in ids:
            if cid not in column:
                raise FeedbackError(
                    f"tag map sends tag {tag!r} to {cid!r}, which is not a cause of the diagram; use a cause id"
                )
        out[tag.strip().casefold()] = tuple(column[c] for c in ids)
    return out


def _explicit(
    table: FeedbackTable,
    column: Mapping[str, int],
    tags: Mapping[str, tuple[int, ...]],
    unknown: dict[str, int],
) -> tuple[IntArray, IntArray]:
    rows: list[int] = []
    cols: list[int] = []
    for i, (causes, record_tags) in enumerate(
        zip(table.causes, table.tags, strict=True)
    ):
        if not causes and not (tags and record_tags):
            continue
        found = set(_tagged(record_tags, tags)) if tags else set()
        for cid in causes:
            if cid in column:
                found.add(column[cid])
            else:
                unknown[cid] = unknown.get(cid, 0) + 1
        rows.extend([i] * len(found))
        cols.extend(found)
    r, c = np.array(rows, np.int64), np.array(cols, np.int64)
    return _unique_pairs([r], [c], len(column))


def _tagged(
    record_tags: Iterable[str], tags: Mapping[str, tuple[int, ...]]
) -> Iterable[int]:
    for tag in record_tags:
        yield from tags.get(tag.strip().casefold(), ())


def _assemble(
    cause_ids: list[str],
    n: int,
    explicit: tuple[IntArray, IntArray],
    signals: tuple[IntArray, IntArray],
) -> MatchReport:
    width = len(cause_ids)
    rows = np.concatenate([explicit[0], signals[0]])
    cols = np.concatenate([explicit[1], signals[1]])
    matrix = sparse.csr_array(
        (np.ones(len(rows), np.int8), (rows, cols)), shape=(n, width)
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return MatchReport(
        mentions=Mentions(list(cause_ids), matrix),
        explicit=np.bincount(explicit[1], minlength=width).astype(np.int64),
        signals=np.bincount(signals[1], minlength=width).astype(np.int64),
        learned=np.zeros(width, np.int64),
        labelled=0,
        unmatched=np.flatnonzero(np.diff(matrix.indptr) == 0).astype(np.int64),
    )


def _wants_learned(learned: Learned, report: MatchReport, unlabelled: int) -> bool:
    if learned is True:
        return True
    if learned != "auto":
        return False
    if report.labelled < 20 or unlabelled == 0:
        report.notes.append(
            f"learned matcher not used: {report.labelled} labelled record(s), {unlabelled} to label (needs 20 and 1)"
        )
        return False
    try:
        import sklearn  # noqa: F401
    except ImportError:
        report.notes.append("learned matcher not used: scikit-learn is not installed")
        return False
    return True
