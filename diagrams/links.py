"""Cross-links: curved arrows between causes that bend around labels.

Each link tries a few bends (:data:`BOWS`) and keeps the first whose sampled
curve enters no other label. A link's label is drawn beside the middle of
its curve only where it touches no label and no line; otherwise it is left
out (and logged), so labels never overlap.

Examples:
    >>> a = Box(key="cause:a", kind="cause", x=0, y=0, w=40, h=10)
    >>> b = Box(key="cause:b", kind="cause", x=200, y=0, w=40, h=10)
    >>> (start, *_), tip = _curve(a, b, 0.2)
    >>> start[0] > 0, tip[0] < 200
    (True, True)
"""

from __future__ import annotations

import logging
import math
from typing import Final

from diagrams.shapes import Arrow, Box, Layout, Line, Point
from diagrams.text import measure_label
from fishbone.model import Diagram

__all__ = ["BOWS", "link_arrows"]

log = logging.getLogger(__name__)


def _edge_point(box: Box, toward: Point) -> Point:
    """Return where the ray from the box centre to ``toward`` leaves the box."""
    dx, dy = toward[0] - box.x, toward[1] - box.y
    if dx == 0 and dy == 0:
        return box.x, box.y1
    scale = min(
        (box.w / 2) / abs(dx) if dx else math.inf,
        (box.h / 2) / abs(dy) if dy else math.inf,
    )
    return box.x + dx * scale, box.y + dy * scale


BOWS: Final = (0.2, -0.2, 0.35, -0.35, 0.5, -0.5, 0.1, -0.1, 0.75, -0.75)
"""Bends tried for a cross-link, as a fraction of its length: the first that misses
every label wins, else the one crossing fewest (wider loops read worse than a crossing)."""
_CELL: Final = 64.0


def _grid(boxes: list[Box]) -> dict[tuple[int, int], list[Box]]:
    """Index boxes by the grid cells they cover."""
    grid: dict[tuple[int, int], list[Box]] = {}
    for box in boxes:
        for gx in range(math.floor(box.x0 / _CELL), math.floor(box.x1 / _CELL) + 1):
            for gy in range(math.floor(box.y0 / _CELL), math.floor(box.y1 / _CELL) + 1):
                grid.setdefault((gx, gy), []).append(box)
    return grid


def _hits(
    curve: tuple[Point, Point, Point, Point],
    grid: dict[tuple[int, int], list[Box]],
    ends: set[str],
) -> int:
    """Return how many sample points of a Bezier fall inside a label other than its ends."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    hits = 0
    for i in range(1, 32):
        t = i / 32
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        px, py = a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3
        for box in grid.get((math.floor(px / _CELL), math.floor(py / _CELL)), ()):
            if box.key not in ends and box.x0 < px < box.x1 and box.y0 < py < box.y1:
                hits += 1
    return hits


def _curve(
    a: Box, b: Box, bow: float
) -> tuple[tuple[Point, Point, Point, Point], Point]:
    """Return a Bezier from box ``a`` to box ``b`` bent by ``bow``, and its arrow tip.

    The controls are set off the centre line; the curve leaves ``a`` toward
    the first control and enters ``b`` from the second, so strong bends
    leave sideways instead of through a neighbour.
    """
    dx, dy = b.x - a.x, b.y - a.y
    c1 = (a.x + dx / 3 - dy * bow, a.y + dy / 3 + dx * bow)
    c2 = (a.x + 2 * dx / 3 - dy * bow, a.y + 2 * dy / 3 + dx * bow)
    start, tip = _edge_point(a, c1), _edge_point(b, c2)
    tx, ty = tip[0] - c2[0], tip[1] - c2[1]
    length = math.hypot(tx, ty) or 1.0
    stop = (tip[0] - tx / length * 8.0, tip[1] - ty / length * 8.0)
    return (start, c1, c2, stop), tip


def _segments_grid(
    lines: list[Line],
) -> dict[tuple[int, int], list[tuple[Point, Point]]]:
    """Index line segments by the grid cells their bounding boxes cover."""
    grid: dict[tuple[int, int], list[tuple[Point, Point]]] = {}
    for line in lines:
        for p, q in zip(line.points, line.points[1:], strict=False):
            for gx in range(
                math.floor(min(p[0], q[0]) / _CELL),
                math.floor(max(p[0], q[0]) / _CELL) + 1,
            ):
                for gy in range(
                    math.floor(min(p[1], q[1]) / _CELL),
                    math.floor(max(p[1], q[1]) / _CELL) + 1,
                ):
                    grid.setdefault((gx, gy), []).append((p, q))
    return grid


def _crosses(p: Point, q: Point, box: Box) -> bool:
    """Return whether segment p-q enters the box (Liang-Barsky clipping)."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in (
        (-dx, p[0] - box.x0),
        (dx, box.x1 - p[0]),
        (-dy, p[1] - box.y0),
        (dy, box.y1 - p[1]),
    ):
        if edge_p == 0:
            if edge_q <= 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def _is_clear(
    box: Box,
    boxes: dict[tuple[int, int], list[Box]],
    segments: dict[tuple[int, int], list[tuple[Point, Point]]],
) -> bool:
    """Return whether ``box`` (with a 2 pt margin) touches no box and no line."""
    pad = Box(key="", kind="", x=box.x, y=box.y, w=box.w + 4, h=box.h + 4)
    for gx in range(math.floor(pad.x0 / _CELL), math.floor(pad.x1 / _CELL) + 1):
        for gy in range(math.floor(pad.y0 / _CELL), math.floor(pad.y1 / _CELL) + 1):
            if any(pad.overlaps(other) for other in boxes.get((gx, gy), ())):
                return False
            if any(_crosses(p, q, pad) for p, q in segments.get((gx, gy), ())):
                return False
    return True


def _label_boxes(
    key: str, text: str, curve: tuple[Point, Point, Point, Point], font: str
) -> list[Box]:
    """Return candidate boxes for a link label, beside the curve, middle first."""
    block = measure_label(text, max_width=120, size=8.0, family=font)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    gap_y, gap_x = block.height / 2 + 2, block.width / 2 + 2
    out = []
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        mx, my = a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3
        for dx, dy in ((0, gap_y), (0, -gap_y), (gap_x, 0), (-gap_x, 0), (0, 0)):
            out.append(
                Box(
                    key=key,
                    kind="link",
                    x=mx + dx,
                    y=my + dy,
                    w=block.width,
                    h=block.height,
                    text=block,
                )
            )
    return out


def link_arrows(
    lay: Layout, diagram: Diagram, *, font: str
) -> tuple[list[Arrow], list[Box]]:
    """Return a curved arrow per cross-link whose two causes are drawn, and the link labels that fit.

    Each arrow bends by the first of :data:`BOWS` whose curve misses every
    other label (or the one that crosses the fewest). Links to folded causes
    are left out.

    Examples:
        >>> from fishbone.model import Category, Cause, Diagram, Effect, Link
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="k", label="K")],
        ...     causes=[Cause(id=i, label=i, category="k") for i in "ab"],
        ...     links=[Link(source="a", target="b", label="feeds")],
        ... )
        >>> boxes = [
        ...     Box(key="cause:a", kind="cause", x=0, y=0, w=20, h=10),
        ...     Box(key="cause:b", kind="cause", x=200, y=0, w=20, h=10),
        ... ]
        >>> arrows, labels = link_arrows(Layout(boxes=boxes), d, font="DejaVu Sans")
        >>> [(a.tail, a.head) for a in arrows], [b.text.lines for b in labels]
        ([('cause:a', 'cause:b')], [('feeds',)])
    """
    by_key = {b.key: b for b in lay.boxes}
    for badge in [b for b in lay.boxes if b.kind == "badge"]:
        # aim at the whole unit, so the arrow tip is not hidden under the badge
        label = by_key[f"cause:{badge.ref}"]
        x0, x1 = min(label.x0, badge.x0), max(label.x1, badge.x1)
        by_key[label.key] = Box(
            key=label.key,
            kind="cause",
            x=(x0 + x1) / 2,
            y=label.y,
            w=x1 - x0,
            h=label.h,
        )
    grid = _grid(lay.boxes) if diagram.links else {}
    segments = (
        _segments_grid(lay.lines)
        if any(ln.label.strip() for ln in diagram.links)
        else {}
    )
    arrows: list[Arrow] = []
    labels: list[Box] = []
    for i, link in enumerate(diagram.links):
        a, b = by_key.get(f"cause:{link.source}"), by_key.get(f"cause:{link.target}")
        if a is None or b is None:
            log.debug(
                "link %s -> %s skipped: a cause is folded", link.source, link.target
            )
            continue
        ends = {a.key, b.key, f"badge:{link.source}", f"badge:{link.target}"}
        best, tip = min(
            (_curve(a, b, bow) for bow in BOWS),
            key=lambda curve: _hits(curve[0], grid, ends),
        )
        arrows.append(
            Arrow(points=best, end=tip, tail=a.key, head=b.key, label=link.label)
        )
        if not link.label.strip():
            continue
        fits = [
            c
            for c in _label_boxes(f"link:{i}", link.label, best, font)
            if _is_clear(c, grid, segments)
        ]
        if not fits:
            log.info(
                "label of link %s -> %s left out: no room beside the arrow",
                link.source,
                link.target,
            )
            continue
        labels.append(fits[0])
        for cell in _grid([fits[0]]):
            grid.setdefault(cell, []).append(fits[0])
    return arrows, labels
