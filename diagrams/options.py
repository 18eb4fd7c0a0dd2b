"""Render options, checked once, and ranking rows turned into heat and badges.

Examples:
    >>> opts = RenderOptions(direction="left", max_depth=2)
    >>> opts.direction, opts.theme, opts.size
    ('left', 'light', 4000)
    >>> ev = evidence_from_ranking(
    ...     [
    ...         {"cause": "a", "rank": 1, "share": 0.4},
    ...         {"cause": "b", "rank": 2, "share": 0.1},
    ...     ]
    ... )
    >>> ev.heat["a"], ev.heat["b"], ev.ranks["a"], ev.metric
    (1.0, 0.25, 1, 'share')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from diagrams.theme import get_theme
from fishbone.exceptions import FormatError, RenderError

__all__ = ["FORMATS", "Evidence", "RenderOptions", "evidence_from_ranking"]

FORMATS: Final = ("svg", "png", "pdf", "dot")
"""Output formats :func:`diagrams.render` can produce."""

_METHOD_METRIC: Final = {"pareto": "share", "impact": "impact", "drivers": "importance"}

RankingInput = Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Per-id heat in [0, 1] and rank, from a ranking; ``metric`` names the measure."""

    heat: dict[str, float] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    metric: str = ""

    def __bool__(self) -> bool:
        return bool(self.heat or self.ranks)


def _number(row: Mapping[str, Any], key: str, where: str) -> float | None:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(f"{key!r} must be a number, not {value!r}", field=where)
    return float(value)


def _rows(ranking: RankingInput) -> list[tuple[str, Mapping[str, Any]]]:
    if isinstance(ranking, Mapping):
        return [(str(k), v) for k, v in ranking.items()]
    rows = []
    for i, row in enumerate(ranking):
        if not isinstance(row, Mapping) or not isinstance(row.get("cause"), str):
            raise FormatError(
                "each ranking row needs a 'cause' id (a string)", field=f"[{i}]"
            )
        rows.append((row["cause"], row))
    return rows


def evidence_from_ranking(ranking: RankingInput | None) -> Evidence:
    """Return heat and ranks from ranking rows (DESIGN.md "Ranking row").

    ``ranking`` is a list of rows with ``cause``, ``rank`` and ``share`` (or
    ``impact``), or a mapping from cause id to such a row. Heat is the
    method's measure divided by the largest one: the share for ``pareto``,
    the size of the impact for ``impact``, the importance for ``drivers``;
    rows without a ``method`` use the share, else the impact.

    Raises:
        FormatError: when a row has no cause id or a non-numeric field.

    Examples:
        >>> evidence_from_ranking({"x": {"impact": -0.5}, "y": {"impact": 0.25}}).heat
        {'x': 1.0, 'y': 0.5}
        >>> rows = [
        ...     {"cause": "x", "method": "impact", "share": 0.9, "impact": -0.1},
        ...     {"cause": "y", "method": "impact", "share": 0.1, "impact": -0.4},
        ... ]
        >>> evidence_from_ranking(rows).heat
        {'x': 0.25, 'y': 1.0}
        >>> evidence_from_ranking([{"rank": 1}])
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FormatError: <string>: [0]: each ranking row needs a 'cause' id (a string)
    """
    if ranking is None:
        return Evidence()
    rows = _rows(ranking)
    methods = {r.get("method") for _, r in rows}
    preferred = [
        _METHOD_METRIC[m] for m in sorted(methods, key=str) if m in _METHOD_METRIC
    ]
    metric, raw = "", {}
    for key in [*preferred, "share", "impact", "importance"]:
        raw = {c: _number(r, key, c) for c, r in rows}
        if any(v is not None and math.isfinite(v) for v in raw.values()):
            metric = key
            break
    values = {c: abs(v) for c, v in raw.items() if v is not None and math.isfinite(v)}
    top = max(values.values(), default=0.0)
    heat = {c: (v / top if top > 0 else 0.0) for c, v in values.items()}
    ranks: dict[str, int] = {}
    for c, r in rows:
        rank = _number(r, "rank", c)
        if rank is not None:
            ranks[c] = int(rank)
    return Evidence(heat=heat, ranks=ranks, metric=metric)


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What to draw and how; every field is a keyword of :func:`diagrams.render`.

    Attributes:
        max_depth: cause levels to draw (1 = causes only); deeper ones fold
            into a "+k more" mark. None draws every level.
        direction: ``right`` puts the head at the right, ``left`` mirrors.
        theme: ``light``, ``dark`` or ``print``.
        ranking: ranking rows (or id -> row) for heat colours and rank badges.
        badges: how many top-ranked causes get a rank badge.
        size: largest PNG side in pixels (PNG output is always capped).
        dpi: PNG resolution.
        title: title drawn above the diagram; None uses the diagram's title.
        font: font family for every label.
        layout: ``fishbone``, or ``tree`` (compact, left to right) for huge diagrams.
        timeout: seconds Graphviz may take.
    """

    max_depth: int | None = None
    direction: Literal["right", "left"] = "right"
    theme: str = "light"
    ranking: RankingInput | None = None
    badges: int = 5
    size: int = 4000
    dpi: float = 96.0
    title: str | None = None
    font: str = "DejaVu Sans"
    layout: Literal["fishbone", "tree"] = "fishbone"
    timeout: float = 60.0

    def __post_init__(self) -> None:
        get_theme(self.theme)
        if self.direction not in ("right", "left"):
            raise RenderError(
                f"direction {self.direction!r} is not 'right' or 'left'; pick one"
            )
        if self.layout not in ("fishbone", "tree"):
            raise RenderError(
                f"layout {self.layout!r} is not 'fishbone' or 'tree'; pick one"
            )
        if self.max_depth is not None and self.max_depth < 0:
            raise RenderError(f"max_depth {self.max_depth!r} must be 0 or more")
        if not 16 <= self.size <= 32000:
            raise RenderError(f"size {self.size!r} must be between 16 and 32000 pixels")
        if not 1 <= self.dpi <= 1200 or self.timeout <= 0:
            raise RenderError("dpi must be in 1..1200 and timeout above 0 seconds")
        if not self.font.strip():
            raise RenderError("font is empty; name a font family like 'DejaVu Sans'")
