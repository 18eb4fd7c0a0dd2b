"""A Pareto chart as DOT with pinned positions, for ``neato -n2`` to draw as PNG or PDF.

Examples:
    >>> dot = pareto_dot([{"cause": "a", "label": "x", "share": 0.4}])
    >>> dot.splitlines()[0], dot.count("shape=box")
    ('digraph pareto {', 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from diagrams.chart_geometry import (
    BAR,
    FONT,
    KEY,
    LABEL_SIZE,
    LEFT,
    RIGHT,
    SLOT,
    TOP,
    ParetoGeometry,
    Row,
    pareto_geometry,
    percent,
    ticks,
)
from diagrams.dot import escape_html, quote
from diagrams.theme import Theme, get_theme

__all__ = ["pareto_dot"]

Flip = Callable[[float, float], tuple[float, float]]


def _dot_text(
    name: str,
    at: tuple[float, float],
    text: str,
    *,
    size: float,
    ink: str,
    w: float = 60.0,
) -> str:
    label = f'<<FONT FACE="{FONT}" POINT-SIZE="{size:g}" COLOR="{ink}">{escape_html(text) or " "}</FONT>>'
    x, y = at
    return f'{name} [pos="{x:.1f},{y:.1f}", width={w / 72:.4f}, height={size * 1.3 / 72:.4f}, shape=plaintext, label={label}];'


def _dot_point(name: str, x: float, y: float) -> str:
    return f'{name} [pos="{x:.1f},{y:.1f}", shape=point, width=0, height=0, style=invis, label=""];'


def _dot_line(
    a: str, b: str, p: tuple[float, float], q: tuple[float, float], attrs: str
) -> str:
    (xa, ya), (xb, yb) = p, q
    dx, dy = (xb - xa) / 3, (yb - ya) / 3
    spline = f"{xa:.1f},{ya:.1f} {xa + dx:.1f},{ya + dy:.1f} {xa + 2 * dx:.1f},{ya + 2 * dy:.1f} {xb:.1f},{yb:.1f}"
    return f'{a} -> {b} [pos="{spline}", {attrs}];'


def pareto_dot(
    rows: Iterable[Row],
    *,
    top: int = 15,
    vital_share: float = 0.8,
    title: str = "",
    theme: str = "light",
) -> str:
    """Return the Pareto chart as DOT with pinned positions for ``neato -n2``.

    Nodes are named ``b0``, ``t0``, ``p0``... so no label or id enters the DOT
    syntax; labels are entity-escaped HTML-like text.

    Raises:
        FormatError: when a row's share or interval is not a number.
        RenderError: when ``theme`` names no theme.

    Examples:
        >>> dot = pareto_dot([{"cause": "a", "label": '"};', "share": 0.5}])
        >>> dot.splitlines()[0], "&quot;};" in dot
        ('digraph pareto {', True)
    """
    g = pareto_geometry(rows, top=top, vital_share=vital_share, title=title)
    th = get_theme(theme)
    H = g.height

    def flip(x: float, y: float) -> tuple[float, float]:
        return x, H - y  # Graphviz points run upwards

    lines = [
        "digraph pareto {",
        f'graph [bb="0,0,{g.width:g},{H:g}", bgcolor="{th.background}", pad=0.1, outputorder=nodesfirst, label={quote("")}];',
        "node [fixedsize=true, margin=0];",
        "edge [dir=none];",
        _dot_text(
            "title", flip(g.width / 2, 26), title, size=14, ink=th.ink, w=g.width - 20
        ),
        _dot_text(
            "key", flip(g.width / 2, 44), KEY, size=9, ink=th.muted, w=g.width - 20
        ),
    ]
    right = g.width - RIGHT
    corners = [
        flip(LEFT, TOP),
        flip(LEFT, g.bottom),
        flip(right, g.bottom),
        flip(right, TOP),
    ]
    lines += [_dot_point(f"a{k}", *c) for k, c in enumerate(corners)]
    axis = f'color="{th.muted}"'
    lines += [
        _dot_line(f"a{k}", f"a{k + 1}", corners[k], corners[k + 1], axis)
        for k in range(3)
    ]
    for k, t in enumerate(ticks(g)):
        lines.append(
            _dot_text(
                f"ty{k}",
                flip(LEFT - 24, g.y_share(t)),
                percent(t),
                size=9,
                ink=th.ink,
                w=40,
            )
        )
    for k, c in enumerate((0.0, 0.25, 0.5, 0.75, 1.0)):
        lines.append(
            _dot_text(
                f"tc{k}",
                flip(right + 24, g.y_cumulative(c)),
                percent(c),
                size=9,
                ink=th.ink,
                w=40,
            )
        )
    y80 = g.y_cumulative(g.vital_share)
    m0, m1 = flip(LEFT, y80), flip(right, y80)
    lines += [_dot_point("m0", *m0), _dot_point("m1", *m1)]
    lines.append(_dot_line("m0", "m1", m0, m1, f'color="{th.heat(1.0)}", style=dashed'))
    lines.append(
        _dot_text(
            "mt",
            flip(right - 24, y80 - 8),
            percent(g.vital_share),
            size=9,
            ink=th.heat(1.0),
            w=40,
        )
    )
    lines += _dot_bars(g, th, flip)
    if g.hidden:
        lines.append(
            _dot_text(
                "more",
                flip(g.width / 2, H - 10),
                f"+{g.hidden} more causes not shown",
                size=9,
                ink=th.muted,
                w=g.width - 20,
            )
        )
    return "\n".join([*lines, "}"]) + "\n"


def _whisker(
    i: int, lo: tuple[float, float], hi: tuple[float, float], th: Theme
) -> list[str]:
    """Return the interval whisker of bar ``i``: a vertical line with two caps."""
    ink = f'color="{th.ink}"'
    out: list[str] = []
    for k, (a, b) in enumerate(
        [
            (lo, hi),
            ((lo[0] - 6, lo[1]), (lo[0] + 6, lo[1])),
            ((hi[0] - 6, hi[1]), (hi[0] + 6, hi[1])),
        ]
    ):
        out += [_dot_point(f"w{i}_{k}a", *a), _dot_point(f"w{i}_{k}b", *b)]
        out.append(_dot_line(f"w{i}_{k}a", f"w{i}_{k}b", a, b, ink))
    return out


def _dot_bars(g: ParetoGeometry, th: Theme, flip: Flip) -> list[str]:
    out: list[str] = []
    points: list[tuple[float, float]] = []
    for i, bar in enumerate(g.bars):
        x, y = g.x(i), g.y_share(bar.share)
        height = max(g.bottom - y, 0.5)
        fill = th.heat(1.0) if bar.vital else th.heat(0.3)
        out.append(
            f'b{i} [pos="{x:.1f},{g.height - (g.bottom - height / 2):.1f}", width={BAR / 72:.4f}, height={height / 72:.4f}, '
            f'shape=box, style=filled, fillcolor="{fill}", color="{fill}", penwidth=0, label=""];'
        )
        out += _whisker(i, flip(x, g.y_share(bar.lo)), flip(x, g.y_share(bar.hi)), th)
        for k, line in enumerate(bar.lines):
            out.append(
                _dot_text(
                    f"l{i}_{k}",
                    flip(x, g.bottom + 13 + k * LABEL_SIZE * 1.25),
                    line,
                    size=LABEL_SIZE,
                    ink=th.ink,
                    w=SLOT - 4,
                )
            )
        points.append(flip(x, g.y_cumulative(bar.cumulative)))
    for i, p in enumerate(points):
        out.append(
            f'p{i} [pos="{p[0]:.1f},{p[1]:.1f}", shape=circle, width=0.0833, height=0.0833, style=filled, fillcolor="{th.ink}", color="{th.ink}", label=""];'
        )
    for i in range(len(points) - 1):
        out.append(
            _dot_line(
                f"p{i}",
                f"p{i + 1}",
                points[i],
                points[i + 1],
                f'color="{th.ink}", penwidth=2',
            )
        )
    return out
