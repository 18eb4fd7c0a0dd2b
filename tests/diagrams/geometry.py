"""Geometry checks shared by the layout and SVG tests: overlaps and crossings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
Point = tuple[float, float]


@dataclass(frozen=True)
class Named:
    name: str
    rect: Rect


def overlapping_pairs(
    rects: Sequence[Named], *, slack: float = 0.01
) -> list[tuple[str, str]]:
    """Return the names of every pair of rectangles that share area (sweep on x)."""
    items = sorted(rects, key=lambda r: r.rect[0])
    pairs = []
    for i, a in enumerate(items):
        _ax0, ay0, ax1, ay1 = a.rect
        for b in items[i + 1 :]:
            bx0, by0, _bx1, by1 = b.rect
            if bx0 >= ax1 - slack:
                break
            if by0 < ay1 - slack and ay0 < by1 - slack:
                pairs.append((a.name, b.name))
    return pairs


def _clip(p: Point, q: Point, rect: Rect) -> bool:
    """Liang-Barsky: does the segment p-q pass through the open rectangle?"""
    x0, y0, x1, y1 = rect
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in (
        (-dx, p[0] - x0),
        (dx, x1 - p[0]),
        (-dy, p[1] - y0),
        (dy, y1 - p[1]),
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


def crossings(
    segments: Iterable[tuple[str, Point, Point]],
    rects: Sequence[Named],
    *,
    shrink: float = 0.5,
) -> list[tuple[str, str]]:
    """Return (segment, rectangle) pairs where a segment enters a rectangle's interior.

    Rectangles are shrunk by ``shrink`` so that a line ending on an edge does not count.
    """
    cell = 64.0
    grid: dict[tuple[int, int], list[Named]] = defaultdict(list)
    shrunk = [
        Named(
            r.name,
            (
                r.rect[0] + shrink,
                r.rect[1] + shrink,
                r.rect[2] - shrink,
                r.rect[3] - shrink,
            ),
        )
        for r in rects
    ]
    for r in shrunk:
        x0, y0, x1, y1 = r.rect
        for gx in range(int(x0 // cell), int(x1 // cell) + 1):
            for gy in range(int(y0 // cell), int(y1 // cell) + 1):
                grid[gx, gy].append(r)
    found = []
    for name, p, q in segments:
        seen: set[str] = set()
        for gx in range(int(min(p[0], q[0]) // cell), int(max(p[0], q[0]) // cell) + 1):
            for gy in range(
                int(min(p[1], q[1]) // cell), int(max(p[1], q[1]) // cell) + 1
            ):
                for r in grid.get((gx, gy), ()):
                    if r.name not in seen and _clip(p, q, r.rect):
                        seen.add(r.name)
                        found.append((name, r.name))
    return found


def layout_problems(lay) -> list[str]:
    """Return every overlap between boxes and every line entering a box, in a layout."""
    rects = [Named(b.key, (b.x0, b.y0, b.x1, b.y1)) for b in lay.boxes]
    problems = [f"boxes overlap: {a} / {b}" for a, b in overlapping_pairs(rects)]
    segments = [
        (f"{ln.kind} {ln.tail}->{ln.head}", p, q)
        for ln in lay.lines
        for p, q in zip(ln.points, ln.points[1:], strict=False)
    ]
    problems += [f"line crosses box: {s} / {r}" for s, r in crossings(segments, rects)]
    return problems
