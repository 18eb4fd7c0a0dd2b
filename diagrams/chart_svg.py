"""A Pareto chart as standalone SVG, written directly (no script; labels are escaped text).

Examples:
    >>> svg = pareto_svg([{"cause": "a", "label": "<b>", "share": 0.4}])
    >>> svg.startswith("<svg"), "&lt;b&gt;" in svg, "<script" in svg
    (True, True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from diagrams.chart_geometry import (
    BAR,
    FONT,
    KEY,
    LABEL_SIZE,
    LEFT,
    RIGHT,
    TOP,
    ParetoGeometry,
    Row,
    pareto_geometry,
    percent,
    ticks,
)
from diagrams.text import clean_text
from diagrams.theme import Theme, get_theme

__all__ = ["pareto_svg"]


def _svg_text(
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    fill: str,
    anchor: str = "middle",
    cls: str = "",
) -> str:
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text{klass} x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size:g}" '
        f'fill="{fill}" text-anchor="{anchor}">{escape(clean_text(text))}</text>'
    )


def _svg_bars(g: ParetoGeometry, theme: Theme) -> list[str]:
    out: list[str] = []
    for i, bar in enumerate(g.bars):
        x, y = g.x(i), g.y_share(bar.share)
        fill = theme.heat(1.0) if bar.vital else theme.heat(0.3)
        y_lo, y_hi = g.y_share(bar.lo), g.y_share(bar.hi)
        out += [
            f'<g class="bar{" vital" if bar.vital else ""}" data-cause="{escape(bar.cause)}">',
            f"<title>{escape(clean_text(bar.label))}: {percent(bar.share)} ({percent(bar.lo)} to {percent(bar.hi)})</title>",
            f'<rect x="{x - BAR / 2:.1f}" y="{y:.1f}" width="{BAR:g}" height="{g.bottom - y:.1f}" fill="{fill}"/>',
            f'<path class="interval" d="M{x:.1f},{y_lo:.1f}V{y_hi:.1f}M{x - 6:.1f},{y_lo:.1f}h12M{x - 6:.1f},{y_hi:.1f}h12" stroke="{theme.ink}" fill="none"/>',
        ]
        for k, line in enumerate(bar.lines):
            out.append(
                _svg_text(
                    x,
                    g.bottom + 16 + k * LABEL_SIZE * 1.25,
                    line,
                    size=LABEL_SIZE,
                    fill=theme.ink,
                )
            )
        out.append("</g>")
    return out


def _svg_axes(g: ParetoGeometry, theme: Theme) -> list[str]:
    right = g.width - RIGHT
    out = [
        f'<path class="axes" d="M{LEFT:.1f},{TOP:.1f}V{g.bottom:.1f}H{right:.1f}V{TOP:.1f}" stroke="{theme.muted}" fill="none"/>'
    ]
    for t in ticks(g):
        out.append(
            _svg_text(
                LEFT - 6,
                g.y_share(t) + 3,
                percent(t),
                size=9,
                fill=theme.ink,
                anchor="end",
            )
        )
    for c in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(
            _svg_text(
                right + 6,
                g.y_cumulative(c) + 3,
                percent(c),
                size=9,
                fill=theme.ink,
                anchor="start",
            )
        )
    y80 = g.y_cumulative(g.vital_share)
    out += [
        f'<line class="vital-mark" x1="{LEFT:.1f}" y1="{y80:.1f}" x2="{right:.1f}" y2="{y80:.1f}" stroke="{theme.heat(1.0)}" stroke-dasharray="6 4"/>',
        _svg_text(
            right - 4,
            y80 - 5,
            percent(g.vital_share),
            size=9,
            fill=theme.heat(1.0),
            anchor="end",
            cls="vital-label",
        ),
    ]
    return out


def _svg_cumulative(g: ParetoGeometry, theme: Theme) -> list[str]:
    points = [(g.x(i), g.y_cumulative(b.cumulative)) for i, b in enumerate(g.bars)]
    if not points:
        return []
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    out = [
        f'<polyline class="cumulative" points="{path}" stroke="{theme.ink}" stroke-width="2" fill="none"/>'
    ]
    out += [
        f'<circle class="cumulative-point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{theme.ink}"/>'
        for x, y in points
    ]
    return out


def pareto_svg(
    rows: Iterable[Row],
    *,
    top: int = 15,
    vital_share: float = 0.8,
    title: str = "",
    theme: str = "light",
) -> str:
    """Return the Pareto chart as standalone SVG text (no script; labels escaped).

    Raises:
        FormatError: when a row's share or interval is not a number.
        RenderError: when ``theme`` names no theme.

    Examples:
        >>> svg = pareto_svg(
        ...     [{"cause": "a", "label": "A & B", "share": 0.4, "share_ci": [0.3, 0.5]}]
        ... )
        >>> svg.count('class="bar vital"'), "A &amp; B" in svg
        (1, True)
    """
    g = pareto_geometry(rows, top=top, vital_share=vital_share, title=title)
    th = get_theme(theme)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{g.width:g}" height="{g.height:g}" '
        f'viewBox="0 0 {g.width:g} {g.height:g}" role="img">',
        f"<title>{escape(clean_text(title or 'Pareto chart'))}</title>",
        f'<rect width="100%" height="100%" fill="{th.background}"/>',
        _svg_text(g.width / 2, 26, title, size=14, fill=th.ink, cls="chart-title"),
        _svg_text(g.width / 2, 44, KEY, size=9, fill=th.muted, cls="chart-key"),
    ]
    foot = []
    if g.hidden:
        foot.append(
            _svg_text(
                g.width / 2,
                g.height - 8,
                f"+{g.hidden} more causes not shown",
                size=9,
                fill=th.muted,
            )
        )
    body = _svg_axes(g, th) + _svg_bars(g, th) + _svg_cumulative(g, th)
    return "\n".join([*head, *body, *foot, "</svg>"]) + "\n"
