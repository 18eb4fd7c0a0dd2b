"""The geometry of a Pareto chart, shared by its SVG and DOT drawings (pure).

Bars run by share, largest first, at most ``top`` of them; the left axis is
the share, the right axis the cumulative share (0-100 %).

Examples:
    >>> g = pareto_geometry([{"cause": "a", "share": 0.2, "share_ci": [0.1, 0.3]}])
    >>> g.bars[0].vital, g.share_max, g.y_share(0.0) == g.bottom
    (True, 0.3, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from diagrams.fonts import load_font
from diagrams.text import clean_text, wrap_text
from fishbone.exceptions import FormatError
from fishbone.ranking import RankedCause

__all__ = [
    "BAR",
    "BOTTOM",
    "FONT",
    "KEY",
    "LABEL_LINES",
    "LABEL_SIZE",
    "LEFT",
    "PLOT_H",
    "RIGHT",
    "SLOT",
    "TOP",
    "Bar",
    "ParetoGeometry",
    "Row",
    "pareto_geometry",
    "percent",
    "ticks",
]

FONT: Final = "DejaVu Sans"
SLOT: Final = 72.0
BAR: Final = 44.0
LEFT: Final = 64.0
RIGHT: Final = 64.0
TOP: Final = 64.0
KEY: Final = "Bars: share of comments, with 95 % interval. Line: cumulative share."
PLOT_H: Final = 300.0
LABEL_LINES: Final = 3
LABEL_SIZE: Final = 9.0
BOTTOM: Final = 24.0 + LABEL_LINES * LABEL_SIZE * 1.25 + 24.0

Row = RankedCause | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: the cause, its wrapped label lines, share, interval and cumulative share."""

    cause: str
    label: str
    lines: tuple[str, ...]
    share: float
    lo: float
    hi: float
    cumulative: float
    vital: bool


@dataclass(frozen=True, slots=True)
class ParetoGeometry:
    """The chart in SVG coordinates (y down, points): bars, scales and sizes."""

    bars: tuple[Bar, ...]
    width: float
    height: float
    share_max: float
    vital_share: float
    title: str
    hidden: int

    def x(self, i: int) -> float:
        """Return the centre x of bar ``i``.

        Examples:
            >>> pareto_geometry([]).x(0) == LEFT + SLOT / 2
            True
        """
        return LEFT + SLOT * (i + 0.5)

    def y_share(self, share: float) -> float:
        """Return the y of a share on the left axis.

        Examples:
            >>> g = pareto_geometry([{"cause": "a", "share": 0.2}])
            >>> g.y_share(g.share_max) == TOP, g.y_share(0) == g.bottom
            (True, True)
        """
        return TOP + PLOT_H * (1 - min(share, self.share_max) / self.share_max)

    def y_cumulative(self, value: float) -> float:
        """Return the y of a cumulative share on the right axis (0-100 %).

        Examples:
            >>> g = pareto_geometry([])
            >>> g.y_cumulative(1.0) == TOP, g.y_cumulative(2.0) == TOP
            (True, True)
        """
        return TOP + PLOT_H * (1 - min(max(value, 0.0), 1.0))

    @property
    def bottom(self) -> float:
        """The y of the baseline."""
        return TOP + PLOT_H


def _get(row: Row, name: str) -> Any:
    return getattr(row, name) if isinstance(row, RankedCause) else row.get(name)


def _number(value: Any, name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(f"{name!r} must be a number, not {value!r}", field=where)
    return float(value)


def _bar_data(
    rows: Iterable[Row],
) -> list[tuple[str, str, float, float, float, Any, Any]]:
    out = []
    for i, row in enumerate(rows):
        where = f"rows[{i}]"
        share = _number(_get(row, "share"), "share", where)
        ci = _get(row, "share_ci") or (share, share)
        lo, hi = (_number(v, "share_ci", where) for v in ci)
        cause = str(_get(row, "cause"))
        label = str(_get(row, "label") or cause)
        out.append(
            (cause, label, share, lo, hi, _get(row, "cumulative"), _get(row, "vital"))
        )
    return out


def _wrap(label: str) -> tuple[str, ...]:
    font = load_font(FONT)
    lines = wrap_text(
        clean_text(label).replace("\n", " "),
        max_width=SLOT - 6,
        size=LABEL_SIZE,
        font=font,
    )
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], lines[LABEL_LINES - 1][:-1] + "\u2026"]
    return tuple(lines)


def pareto_geometry(
    rows: Iterable[Row], *, top: int = 15, vital_share: float = 0.8, title: str = ""
) -> ParetoGeometry:
    """Return the chart's bars and scales: largest share first, at most ``top`` bars.

    Rows without ``cumulative`` (from the impact or drivers methods) get the
    running share of all mentions; rows without ``vital`` are vital while the
    cumulative share before them is under ``vital_share``.

    Raises:
        FormatError: when a row's share or interval is not a number.

    Examples:
        >>> g = pareto_geometry(
        ...     [{"cause": "a", "share": 0.3}, {"cause": "b", "share": 0.1}]
        ... )
        >>> [(b.cause, b.cumulative, b.vital) for b in g.bars], g.share_max
        ([('a', 0.75, True), ('b', 1.0, True)], 0.3)
    """
    data = sorted(_bar_data(rows), key=lambda d: -d[2])  # stable: ties keep rank order
    total = sum(d[2] for d in data) or 1.0
    bars: list[Bar] = []
    running = 0.0
    for cause, label, share, lo, hi, cumulative, vital in data:
        before = bars[-1].cumulative if bars else 0.0
        running += share
        cum = round(running / total, 12) if cumulative is None else float(cumulative)
        is_vital = (
            before < vital_share - 1e-12 and share > 0 if vital is None else bool(vital)
        )
        bars.append(Bar(cause, label, _wrap(label), share, lo, hi, cum, is_vital))
    shown = tuple(bars[: max(top, 1)])
    peak = max([b.hi for b in shown] + [b.share for b in shown] + [0.0])
    step = _step(peak)
    share_max = round(min(1.0, max(step, math.ceil(round(peak / step, 9)) * step)), 10)
    width = LEFT + SLOT * max(len(shown), 1) + RIGHT
    return ParetoGeometry(
        shown,
        width,
        TOP + PLOT_H + BOTTOM,
        share_max,
        vital_share,
        title,
        len(bars) - len(shown),
    )


def percent(value: float) -> str:
    """Return a share as a percentage with the decimals it needs (at most two).

    Examples:
        >>> percent(0.4), percent(0.125), percent(0.0025), percent(1.0)
        ('40 %', '12.5 %', '0.25 %', '100 %')
    """
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _step(top: float) -> float:
    """Return a round tick step (1, 2, 2.5 or 5 times a power of ten) for about five ticks."""
    raw = max(top, 1e-4) / 5
    power = 10.0 ** math.floor(math.log10(raw))
    return round(
        next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-15), 12
    )


def ticks(g: ParetoGeometry) -> list[float]:
    """Return the share ticks of the left axis: round steps from 0 to the top.

    Examples:
        >>> ticks(pareto_geometry([{"cause": "a", "share": 0.42}]))
        [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    """
    step = _step(g.share_max)
    count = round(g.share_max / step)
    return [round(step * k, 10) for k in range(count + 1)]
