"""Turn a batch of raw rows into a :class:`~fishbone.records.FeedbackTable` chunk, column by column.

Values are converted per *distinct* value (scores, dates, channels and tags repeat
a lot), so a batch costs a few C-level passes rather than Python work per cell.
A row with any bad value is rejected as a whole, with its line number and the
first reason found; nothing of it reaches the table.

Examples:
    >>> from fishbone.feedback_columns import plan_columns
    >>> from fishbone.feedback_sources import Batch
    >>> b = Batch(["text", "nps"], [["ok", "9"], ["meh", "eleven"]], [2, 3])
    >>> conv = Converter(
    ...     plan_columns(b.header), scale=None, date_format=None, source="x.csv"
    ... )
    >>> table, rejected = conv.convert(b)
    >>> table.texts, rejected
    (['ok'], [(3, "score 'eleven' is not a number")])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from fishbone.exceptions import FeedbackError
from fishbone.feedback_columns import ColumnPlan, guess_scale
from fishbone.feedback_dates import AmbiguousDate, DateParser, InvalidDate
from fishbone.feedback_sources import Batch, Nested
from fishbone.records import FeedbackTable, Scale

__all__ = [
    "CACHE_LIMIT",
    "DEFAULT_RULES",
    "MAX_LABEL",
    "Converter",
    "RowRules",
    "take_rows",
]

_SPLIT: Final = str.maketrans({";": ",", "|": ","})
_NAT: Final = np.iinfo(np.int64).min
CACHE_LIMIT: Final = 200_000
"""Distinct values remembered per column; past this the cache starts again (ids, free text)."""
MAX_LABEL: Final = 200
"""Longest id, channel, segment, tag or cause id, in characters."""
_FORMULA_FIRST: Final = frozenset("=+-@")
Reasons = dict[int, str]


@dataclass(frozen=True, slots=True)
class RowRules:
    """What an import demands of rows beyond well-formed values.

    Attributes:
        require_ids: a row without an id is rejected (a store upserts by id, so a
            made-up ``line-N`` id would overwrite another upload's row); otherwise
            it gets ``line-N``.
        guess_scale: guess the score scale from the first scores when none is given
            or declared; otherwise scores are only checked to be finite numbers.
        reject_ambiguous_dates: a day/month-ambiguous date rejects its row instead of
            failing the whole import (a stream cannot take back rows already stored).
        max_text: the longest text, in characters (None: no limit).

    Examples:
        >>> RowRules().require_ids, RowRules(require_ids=True).guess_scale
        (False, True)
    """

    require_ids: bool = False
    guess_scale: bool = True
    reject_ambiguous_dates: bool = False
    max_text: int | None = None


DEFAULT_RULES: Final = RowRules()
"""Rows as a file import takes them: made-up ids allowed, the scale guessed."""


class _Columns:
    """Column ``i`` of a batch's rows, extracted only when asked for."""

    def __init__(self, rows: list[list[Any]], *, direct: bool = False) -> None:
        self.rows = rows
        self.direct = direct

    def __getitem__(self, i: int) -> list[Any]:
        if self.direct:  # ``rows`` already holds columns
            return self.rows[i]
        return list(map(itemgetter(i), self.rows))


class _Bad:
    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class Converter:
    """Converts batches for one import; remembers the scale (given or guessed) between batches.

    Args:
        plan: where each role is.
        scale: the declared scale, or None to guess from the first batch with scores.
        date_format: passed to :class:`~fishbone.feedback_dates.DateParser`.
        source: file name for messages.
        rules: what rows must satisfy beyond well-formed values.
    """

    def __init__(
        self,
        plan: ColumnPlan,
        *,
        scale: Scale | None,
        date_format: str | None,
        source: str,
        rules: RowRules = DEFAULT_RULES,
    ) -> None:
        self.plan = plan
        self.scale = scale
        self.scale_note = "given" if scale else ""
        self.source = source
        self.rules = rules
        self.dates = DateParser(date_format)
        self._caches: dict[str, dict[Hashable, Any]] = {}
        self._lines: list[int] = []

    def convert(self, batch: Batch) -> tuple[FeedbackTable, list[tuple[int, str]]]:
        """Return the batch's good rows as a table and the rejected ``(line, reason)`` pairs.

        Raises:
            FeedbackError: for a problem of the whole file (an ambiguous date).

        Examples:
            >>> from fishbone.feedback_columns import plan_columns
            >>> conv = Converter(
            ...     plan_columns(["text"]), scale=None, date_format=None, source="x"
            ... )
            >>> conv.convert(Batch(["text"], [["hi"], ["a", "b"]], [2, 3]))[1]
            [(3, 'row has 2 fields but the header has 1; check quoting and delimiters')]
        """
        if batch.columns is not None:  # the CSV fast path: already split and checked
            table, row_reasons = self._columns(
                _Columns(batch.columns, direct=True), batch.lines
            )
            rejected = sorted((batch.lines[k], r) for k, r in row_reasons.items())
            if row_reasons:
                keep = sorted(set(range(len(batch.lines))) - row_reasons.keys())
                table = take_rows(table, keep)
            return table, rejected
        reasons: Reasons = {}
        width = len(batch.header)
        if set(map(len, batch.rows)) - {width}:
            for k, row in enumerate(batch.rows):
                if len(row) != width:
                    reasons[k] = (
                        f"row has {len(row)} fields but the header has {width}; check quoting and delimiters"
                    )
        good = (
            [r for k, r in enumerate(batch.rows) if k not in reasons]
            if reasons
            else batch.rows
        )
        columns = _Columns(good)
        lines = (
            [n for k, n in enumerate(batch.lines) if k not in reasons]
            if reasons
            else batch.lines
        )
        table, row_reasons = self._columns(columns, lines)
        rejected = [(batch.lines[k], r) for k, r in reasons.items()]
        rejected += [(lines[k], r) for k, r in row_reasons.items()]
        rejected.sort()
        if row_reasons:
            table = take_rows(
                table, sorted(set(range(len(lines))) - row_reasons.keys())
            )
        return table, rejected

    def _col(self, columns: _Columns, role: str, n: int) -> Sequence[Any]:
        at = self.plan.index.get(role)
        return columns[at] if at is not None else (None,) * n

    def _columns(
        self, columns: _Columns, lines: list[int]
    ) -> tuple[FeedbackTable, Reasons]:
        n = len(lines)
        self._lines = lines
        reasons: Reasons = {}
        texts = _texts(self._col(columns, "text", n), reasons, "text")
        if self.rules.max_text is not None:
            _check_lengths(texts, self.rules.max_text, reasons)
        scores = self._numbers(self._col(columns, "score", n), "score", reasons)
        if "scale" in self.plan.index:
            self._declared_scales(columns[self.plan.index["scale"]], reasons)
        self._check_scale(scores, reasons)
        ratings = {
            cause: self._numbers(columns[i], f"rating for {cause!r}", reasons)
            for cause, i in self.plan.ratings.items()
        }
        table = FeedbackTable(
            ids=self._ids(self._col(columns, "id", n), lines, reasons),
            texts=texts,
            scores=scores,
            scale=self.scale,
            dates=self._dates(self._col(columns, "date", n), reasons),
            channels=self._labels(self._col(columns, "channel", n), "channel", reasons),
            segments=self._labels(self._col(columns, "segment", n), "segment", reasons),
            tags=self._lists(self._col(columns, "tags", n), "tags", reasons),
            causes=self._lists(self._col(columns, "causes", n), "causes", reasons),
            ratings=ratings,
        )
        _reject_empty(table, reasons)
        return table, reasons

    def _ids(
        self, values: Sequence[Any], lines: list[int], reasons: Reasons
    ) -> list[str]:
        if (
            set(map(type, values)) <= {str}
            and "" not in values
            and max(map(len, values), default=0) <= MAX_LABEL
            and not {v[0] for v in values} & _RISKY_FIRST
            and not {v[-1] for v in values} & _RISKY_LAST
        ):
            return list(values)  # the common case, checked column-wise
        out: list[str] = []
        for k, (v, line) in enumerate(zip(values, lines, strict=True)):
            try:
                found = _label(v, "id")
            except ValueError as exc:
                reasons.setdefault(k, str(exc))
                found = ""
            if found is None:
                if self.rules.require_ids:
                    reasons.setdefault(k, "id is missing; every record needs one")
                found = f"line-{line}"
            out.append(found)
        return out

    def _declared_scales(self, values: Sequence[Any], reasons: Reasons) -> None:
        """Check each row's declared scale against the scale in use (the first declared, when none is given)."""
        declared = self._map("scale", values, _scale, reasons)
        if self.scale is None:
            first = next((s for s in declared if s is not None), None)
            if first is not None:
                self.scale = first
                self.scale_note = f"declared in column {self.plan.columns['scale']!r}"
        for k, found in enumerate(declared):
            if found is not None and found != self.scale:
                reasons.setdefault(
                    k,
                    f"scale {found.name!r} differs from the scale in use ({self.scale.name if self.scale else 'none'}); send one scale per dataset",
                )

    def _map(
        self,
        key: str,
        values: Sequence[Any],
        fn: Callable[[Any], Any],
        reasons: Reasons,
    ) -> list[Any]:
        cache = self._caches.setdefault(key, {})
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        distinct = set(values)
        for v in distinct - cache.keys():
            try:
                cache[v] = fn(v)
            except FeedbackError as exc:  # a problem of the whole file, not of a row
                line = self._lines[list(values).index(v)]
                raise FeedbackError(f"{self.source}:{line}: {exc}") from None
            except (ValueError, TypeError) as exc:
                cache[v] = _Bad(str(exc))
        out = list(map(cache.__getitem__, values))
        if any(type(cache[v]) is _Bad for v in distinct):
            for k, v in enumerate(out):
                if type(v) is _Bad:
                    reasons.setdefault(k, v.reason)
                    out[k] = None
        return out

    def _numbers(
        self, values: Sequence[Any], what: str, reasons: Reasons
    ) -> npt.NDArray[np.float64]:
        out = self._map(what, values, lambda v: _number(v, what), reasons)
        if None in out:  # rejected cells
            out = [math.nan if v is None else v for v in out]
        return np.array(out, np.float64)

    def _check_scale(self, scores: npt.NDArray[np.float64], reasons: Reasons) -> None:
        finite = np.isfinite(scores)
        if not finite.any():
            return
        if self.scale is None and not self.rules.guess_scale:
            return
        if self.scale is None:
            self.scale, why = guess_scale(
                scores, hint=self.plan.columns.get("score", "")
            )
            self.scale_note = f"guessed from the first {len(scores):,} rows: {why}"
        scale = self.scale
        if (
            scale is None
        ):  # pragma: no cover - a guess always succeeds with finite scores
            return
        bad = finite & ((scores < scale.low) | (scores > scale.high))
        for k in np.flatnonzero(bad).tolist():
            reasons.setdefault(
                k,
                f"score {scores[k]:g} is outside the {scale.name} scale {scale.low:g}-{scale.high:g}"
                + (
                    ""
                    if self.scale_note == "given"
                    else " (guessed from earlier rows; pass the scale to set it)"
                ),
            )

    def _dates(
        self, values: Sequence[Any], reasons: Reasons
    ) -> npt.NDArray[np.datetime64]:
        def day(v: Any) -> int:
            if v is None or v == "":
                return _NAT
            if not isinstance(v, str):
                raise InvalidDate(
                    f"date {v!r} is not a date string; use ISO 8601 such as 2024-03-15"
                )
            try:
                return self.dates.parse(v)
            except AmbiguousDate as exc:
                if self.rules.reject_ambiguous_dates:
                    raise InvalidDate(str(exc)) from None
                raise

        out = self._map("date", values, day, reasons)
        if None in out:  # rejected cells
            out = [_NAT if v is None else v for v in out]
        days = np.array(out, np.int64)
        return days.view("datetime64[D]")

    def _labels(
        self, values: Sequence[Any], what: str, reasons: Reasons
    ) -> list[str | None]:
        return self._map(what, values, lambda v: _label(v, what), reasons)

    def _lists(
        self, values: Sequence[Any], what: str, reasons: Reasons
    ) -> list[tuple[str, ...]]:
        out = self._map(what, values, lambda v: _split(v, what), reasons)
        return [() if v is None else v for v in out] if None in out else out


def _texts(values: Sequence[Any], reasons: Reasons, what: str) -> list[str]:
    if set(map(type, values)) <= {str} and not any(map(_has_nul, values)):
        return list(values)
    out: list[str] = []
    for k, v in enumerate(values):
        if isinstance(v, str) and _has_nul(v):
            reasons.setdefault(k, f"{what} contains a NUL character; remove it")
            out.append("")
        elif v is None or isinstance(v, str):
            out.append(v or "")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(str(v))
        else:
            reasons.setdefault(k, f"{what} is a {_kind(v)}, not text")
            out.append("")
    return out


_RISKY_FIRST: Final = frozenset("=+-@ \t\r\n\x00")
_RISKY_LAST: Final = frozenset(" \t\r\n\x00")


def _scale(v: Any) -> Scale | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if not isinstance(v, str):
        raise ValueError(f"scale is a {_kind(v)}, not a scale name")
    try:
        return Scale.parse(v)
    except FeedbackError as exc:
        raise ValueError(str(exc)) from None


def _check_lengths(texts: list[str], limit: int, reasons: Reasons) -> None:
    if max(map(len, texts), default=0) <= limit:
        return
    for k, text in enumerate(texts):
        if len(text) > limit:
            reasons.setdefault(
                k, f"text is {len(text)} characters long; the limit is {limit}"
            )


def _has_nul(text: str) -> bool:
    return "\x00" in text


def _kind(v: Any) -> str:
    return (
        "JSON object"
        if isinstance(v, Nested)
        else "list"
        if isinstance(v, tuple)
        else type(v).__name__
    )


def _number(v: Any, what: str) -> float:
    if v is None or v == "":
        return math.nan
    if isinstance(v, (Nested, tuple)):
        raise ValueError(f"{what} is a {_kind(v)}, not a number")
    try:
        x = float(v)
    except ValueError:
        raise ValueError(f"{what} {v!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{what} {v!r} is not a finite number")
    return x


def _label(v: Any, what: str) -> str | None:
    """Return a short identifier-like value (id, channel, segment, tag, cause id), or None.

    Spreadsheet formulas (``=``, ``+``, ``-``, ``@`` first, unless a number) are
    refused here: only a broken or hostile export puts them in such a field.

    Examples:
        >>> _label(" web ", "channel"), _label("-3", "id")
        ('web', '-3')
        >>> _label("@SUM(A1)", "channel")
        Traceback (most recent call last):
        ...
        ValueError: channel '@SUM(A1)' looks like a spreadsheet formula; remove the leading '@'
    """
    if isinstance(v, (Nested, tuple, bool)):
        raise ValueError(f"{what} is a {_kind(v)}, not text")
    text = "" if v is None else str(v).strip()
    if not text:
        return None
    if len(text) > MAX_LABEL:
        raise ValueError(
            f"{what} is {len(text)} characters long; the limit is {MAX_LABEL}"
        )
    if "\x00" in text:
        raise ValueError(f"{what} contains a NUL character; remove it")
    if text[0] in _FORMULA_FIRST and not _is_number(text):
        raise ValueError(
            f"{what} {text!r} looks like a spreadsheet formula; remove the leading {text[0]!r}"
        )
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _split(v: Any, what: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, Nested):
        raise ValueError(f"{what} is a JSON object, not a list")
    parts = v if isinstance(v, tuple) else str(v).translate(_SPLIT).split(",")
    found = (_label(x, what) for x in parts)
    return tuple(dict.fromkeys(p for p in found if p))


def _reject_empty(table: FeedbackTable, reasons: Reasons) -> None:
    if "" not in table.texts:
        return
    blank = [k for k, text in enumerate(table.texts) if not text]
    rated = np.zeros(len(table), bool)
    for column in table.ratings.values():
        rated |= np.isfinite(column)
    for k in blank:
        if not (
            table.tags[k]
            or table.causes[k]
            or rated[k]
            or math.isfinite(table.scores[k])
        ):
            reasons.setdefault(
                k, "row is empty: no text, score, tags, causes or ratings"
            )


def take_rows(table: FeedbackTable, keep: list[int]) -> FeedbackTable:
    """Return the rows ``keep`` (positions, in order) of ``table``.

    Examples:
        >>> t = FeedbackTable.from_rows([{"text": "a"}, {"text": "b"}])
        >>> take_rows(t, [1]).texts
        ['b']
    """
    idx = np.array(keep, np.int64)

    def pick(seq: Sequence[Any]) -> list[Any]:
        return [seq[i] for i in keep]

    return FeedbackTable(
        ids=pick(table.ids),
        texts=pick(table.texts),
        scores=table.scores[idx],
        scale=table.scale,
        dates=table.dates[idx],
        channels=pick(table.channels),
        segments=pick(table.segments),
        tags=pick(table.tags),
        causes=pick(table.causes),
        ratings={c: v[idx] for c, v in table.ratings.items()},
    )
