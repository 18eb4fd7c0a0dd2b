"""Finishing a layout: direction, cross-links, title, legend, margins, warnings.

Both layouts (fishbone and tree) produce bare geometry around the origin;
:func:`finish` mirrors it for ``direction="left"``, draws cross-links as curved
arrows, puts the title and legend above the drawing (never on it), moves it
all to positive coordinates, and warns when the result is unreadable at page size.

Examples:
    >>> b = Box(key="a", kind="cause", x=3, y=4, w=2, h=2)
    >>> mirror(b, x=True).x, mirror(b, y=True).y
    (-3, -4)
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Final

from diagrams.labels import STATUS_MARKS
from diagrams.links import link_arrows
from diagrams.options import Evidence, RenderOptions
from diagrams.shapes import Box, Layout, Line
from diagrams.text import measure_label
from fishbone.model import Diagram, Status

__all__ = ["MARGIN", "PAGE", "finish", "mirror"]

log = logging.getLogger(__name__)

MARGIN: Final = 12.0
"""Empty border around the drawing, in points."""
PAGE: Final = (1191.0, 842.0)
"""A3 landscape in points: the page a reader is assumed to print or view on."""
_SMALLEST: Final = 2.5
"""Cause labels scaled below this many points to fit the page are unreadable."""
_ROW_GAP: Final = 14.0
_METRIC_NAMES: Final = {
    "share": "Share of comments",
    "impact": "Impact on score",
    "importance": "Importance for score",
}


def mirror(box: Box, *, x: bool = False, y: bool = False) -> Box:
    """Return the box reflected through the y axis (``x``) and/or the x axis (``y``).

    Examples:
        >>> mirror(Box(key="a", kind="cause", x=3, y=4, w=2, h=2), x=True, y=True).x1
        -2.0
    """
    return box.moved(-2 * box.x if x else 0.0, -2 * box.y if y else 0.0)


def _mirror_x(lay: Layout) -> None:
    lay.boxes = [mirror(b, x=True) for b in lay.boxes]
    lay.lines = [
        replace(ln, points=tuple((-px, py) for px, py in ln.points)) for ln in lay.lines
    ]


def _extent(lay: Layout) -> tuple[float, float, float, float]:
    xs = [v for b in lay.boxes for v in (b.x0, b.x1)]
    ys = [v for b in lay.boxes for v in (b.y0, b.y1)]
    for ln in lay.lines:
        xs += [p[0] for p in ln.points]
        ys += [p[1] for p in ln.points]
    for arrow in lay.arrows:
        # the curve, not its control points, which lie well outside it
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = arrow.points
        for i in range(17):
            t = i / 16
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            xs.append(a * x0 + b * x1 + c * x2 + d * x3)
            ys.append(a * y0 + b * y1 + c * y2 + d * y3)
        xs.append(arrow.end[0])
        ys.append(arrow.end[1])
    return min(xs), min(ys), max(xs), max(ys)


def _legend(diagram: Diagram, evidence: Evidence, opts: RenderOptions) -> list[Box]:
    """Return the legend boxes in a row starting at x = 0, centred on y = 0."""
    row: list[Box] = []

    def text(key: str, label: str) -> None:
        block = measure_label(label, max_width=400, size=9.0, family=opts.font)
        row.append(
            Box(
                key=key,
                kind="legend",
                x=0,
                y=0,
                w=block.width,
                h=block.height,
                text=block,
            )
        )

    if evidence.metric:
        text("legend:metric", _METRIC_NAMES.get(evidence.metric, evidence.metric) + ":")
        text("legend:low", "low")
        for i in range(5):
            row.append(
                Box(
                    key=f"legend:swatch{i}",
                    kind="swatch",
                    x=0,
                    y=0,
                    w=14,
                    h=12,
                    heat=i / 4,
                )
            )
        text("legend:high", "high")
    if evidence.ranks and opts.badges > 0:
        text("legend:rank", "(n) = rank")
    statuses = {c.status for c in diagram.causes}
    marks = [f"{STATUS_MARKS[s].strip()} {s}" for s in STATUS_MARKS if s in statuses]
    if Status.REJECTED in statuses:
        marks.append("struck through: rejected")
    if marks:
        text("legend:status", "   ".join(marks))
    x = 0.0
    placed = []
    for box in row:
        placed.append(replace(box, x=x + box.w / 2))
        x += box.w + 4.0
    return placed


def finish(
    bare: Layout, diagram: Diagram, opts: RenderOptions, evidence: Evidence
) -> Layout:
    """Return the finished layout: mirrored, linked, titled, in positive coordinates.

    Examples:
        >>> from fishbone.model import Diagram, Effect
        >>> bare = Layout(
        ...     boxes=[Box(key="effect", kind="effect", x=0, y=0, w=20, h=10)]
        ... )
        >>> lay = finish(
        ...     bare,
        ...     Diagram(id="d", effect=Effect(label="E")),
        ...     RenderOptions(),
        ...     Evidence(),
        ... )
        >>> (lay.boxes[0].x0, lay.width, lay.height)
        (12.0, 44.0, 34.0)
    """
    lay = Layout(
        boxes=list(bare.boxes), lines=list(bare.lines), warnings=list(bare.warnings)
    )
    if opts.direction == "left":
        _mirror_x(lay)
    lay.arrows, link_labels = link_arrows(lay, diagram, font=opts.font)
    lay.boxes += link_labels
    x0, bottom, x1, top = _extent(lay)
    _check_readable(lay, x1 - x0, top - bottom, tree=opts.layout == "tree")
    legend = _legend(diagram, evidence, opts)
    if legend:
        height = max(b.h for b in legend)
        y = top + _ROW_GAP + height / 2
        lay.boxes += [b.moved(x0, y) for b in legend]
        top = y + height / 2
    title = diagram.title if opts.title is None else opts.title
    if title.strip():
        block = measure_label(
            title, max_width=max(400.0, x1 - x0), size=16.0, family=opts.font, bold=True
        )
        y = top + _ROW_GAP + block.height / 2
        lay.boxes.append(
            Box(
                key="title",
                kind="title",
                x=(x0 + x1) / 2,
                y=y,
                w=block.width,
                h=block.height,
                text=block,
            )
        )
    extra = [b for b in lay.boxes if b.kind in ("legend", "swatch", "title")]
    x0 = min([x0, *(b.x0 for b in extra)])
    x1 = max([x1, *(b.x1 for b in extra)])
    _normalise(lay, (x0, bottom, x1, max([top, *(b.y1 for b in extra)])))
    return lay


def _check_readable(lay: Layout, width: float, height: float, *, tree: bool) -> None:
    scale = min(PAGE[0] / max(width, 1.0), PAGE[1] / max(height, 1.0), 1.0)
    if 10.0 * scale >= _SMALLEST:
        return
    message = (
        f"the diagram is {width:.0f} x {height:.0f} pt: fitted to an A3 page its "
        f"labels would be {10.0 * scale:.1f} pt, too small to read; "
        + (
            "fold deeper levels with max_depth (--max-depth)"
            if tree
            else "try layout='tree' (--layout tree) or a smaller max_depth (--max-depth)"
        )
    )
    log.warning(message)
    lay.warnings.append(message)


def _normalise(lay: Layout, extent: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = extent
    dx, dy = MARGIN - x0, MARGIN - y0
    lay.boxes = [b.moved(dx, dy) for b in lay.boxes]
    lay.lines = [
        Line(
            points=tuple((x + dx, y + dy) for x, y in ln.points),
            kind=ln.kind,
            tail=ln.tail,
            head=ln.head,
        )
        for ln in lay.lines
    ]
    lay.arrows = [
        replace(
            a,
            points=tuple((x + dx, y + dy) for x, y in a.points),  # type: ignore[arg-type]
            end=(a.end[0] + dx, a.end[1] + dy),
        )
        for a in lay.arrows
    ]
    lay.width = x1 - x0 + 2 * MARGIN
    lay.height = y1 - y0 + 2 * MARGIN
