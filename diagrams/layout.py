"""Fishbone geometry: a diagram in, positioned label boxes, bones and ribs out.

Pure Python, no Graphviz. The shape: the effect in a head at the right end of a
horizontal spine; category bones slant into the spine, alternating above and
below; causes are horizontal ribs on their bone; sub-causes are slanted bones
on their cause, and so on to any depth.

Each subtree is laid out in its own frame, with its attach point at the origin
and "up" pointing away from its parent, then placed as a block:

* a slanted bone stacks its ribs along itself (first cause nearest its label),
  each rib pushed left until it clears the bone;
* a rib lines its slanted children up to the right of its label;
* category bones are packed along the spine by their real profiles (bands of
  :data:`BAND` points), not their bounding boxes, so bones nest into each other.

Siblings never share a bounding box (or a band), and content is kept clear of
the parent's line, so no two labels overlap and no line crosses a label.
:func:`layout` then adds the title, legend and cross-links (:mod:`diagrams.canvas`).

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="Happy customers"),
    ...     categories=[Category(id="p", label="Processes")],
    ...     causes=[Cause(id="a", label="Fast refunds", category="p")],
    ... )
    >>> lay = layout(d)
    >>> sorted(b.key for b in lay.boxes)
    ['category:p', 'cause:a', 'effect']
    >>> head = next(b for b in lay.boxes if b.kind == "effect")
    >>> all(b.x < head.x for b in lay.boxes if b.kind != "effect")
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Final

from diagrams.canvas import finish, mirror
from diagrams.labels import LabelNode, build_tree, label_boxes
from diagrams.options import RenderOptions, evidence_from_ranking
from diagrams.shapes import Box, Layout, Line, Point
from diagrams.text import TextBlock
from diagrams.tree import tree_layout
from fishbone.model import Diagram

__all__ = ["ANGLE", "BAND", "fishbone_layout", "layout"]

ANGLE: Final = 60.0
"""Slant of bones against the line they join, in degrees."""
BAND: Final = 6.0
"""Height of the bands in which bone profiles are compared, in points."""

_COT: Final = 1.0 / math.tan(math.radians(ANGLE))
_HGAP: Final = 8.0  # between siblings along a rib
_VGAP: Final = 5.0  # between ribs along a bone
_LIFT: Final = 1.5  # a label sits this far off its line
_CLEAR: Final = 6.0  # rib content keeps this far from its bone
_BONE_BASE: Final = 14.0  # first rib above the spine
_SUB_BASE: Final = 6.0  # first rib above a sub-bone's attach point
_LEAF: Final = 12.0  # rise of a sub-bone without children
_JOIN: Final = 24.0  # least distance between bones along the spine
_TAIL: Final = 30.0  # spine beyond the last bone

Bbox = tuple[float, float, float, float]


def _union(boxes: Iterable[Bbox]) -> Bbox:
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return min(x0s), min(y0s), max(x1s), max(y1s)


def _shift(b: Bbox, dx: float, dy: float) -> Bbox:
    return b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy


def _size(node: LabelNode, *, slanted: bool, below: bool) -> None:
    """Fill in the node's geometry, children first (slanted and flat alternate).

    ``below`` is true inside bones drawn below the spine, whose frame is
    mirrored: there a rib's label goes on the spine side of the rib, and its
    sub-bones are flipped back, so on the page every label sits on its line
    and every sub-bone rises.
    """
    for child in node.children:
        if slanted:
            _size(child, slanted=False, below=below)
        else:
            child.flip = below
            _size(child, slanted=True, below=False)
    if slanted:
        _size_bone(node, base=_BONE_BASE if node.kind == "category" else _SUB_BASE)
    else:
        _size_rib(node, below=below)


def _child_bbox(child: LabelNode) -> Bbox:
    x0, y0, x1, y1 = child.bbox
    return (x0, -y1, x1, -y0) if child.flip else child.bbox


def _size_bone(node: LabelNode, *, base: float) -> None:
    """Stack ribs along a slanted line rising up-left; the label caps its end."""
    cursor = base
    offsets: list[Point] = [(0.0, 0.0)] * len(node.children)
    for i in reversed(range(len(node.children))):
        child = node.children[i]
        y = cursor - child.bbox[1]
        offsets[i] = (-y * _COT, y)
        cursor = y + child.bbox[3] + _VGAP
    rise = cursor if node.children else _LEAF
    node.end = (-rise * _COT, rise)
    node.centre = (node.end[0], rise + _LIFT + node.h / 2)
    node.offsets = offsets
    parts = [_unit_bbox(node), (node.end[0], 0.0, 0.0, rise)]
    parts += [_shift(c.bbox, *o) for c, o in zip(node.children, offsets, strict=True)]
    node.bbox = _union(parts)


def _size_rib(node: LabelNode, *, below: bool) -> None:
    """Line slanted children up right of the label, then clear the parent bone."""
    x = 0.0
    offsets: list[Point] = [(0.0, 0.0)] * len(node.children)
    for i in reversed(range(len(node.children))):
        child = _child_bbox(node.children[i])
        ax = x - _HGAP - child[2]
        offsets[i] = (ax, 0.0)
        x = ax + child[0]
    lift = -(_LIFT + node.h / 2) if below else _LIFT + node.h / 2
    centre = (x - _HGAP - node.w / 2, lift)
    parts = [
        _shift(_child_bbox(c), *o) for c, o in zip(node.children, offsets, strict=True)
    ]
    parts.append(_box_bbox(centre, node.w, node.h))
    # The parent bone rises up-left through the attach point: at height t it is
    # at x = -t * cot; everything here must stay left of it.
    shift = max(0.0, max(p[2] + p[3] * _COT + _CLEAR for p in parts))
    node.offsets = [(ox - shift, oy) for ox, oy in offsets]
    node.centre = (centre[0] - shift, centre[1])
    node.end = (node.centre[0] - node.w / 2, 0.0)
    bbox = _union(_shift(p, -shift, 0.0) for p in parts)
    node.bbox = (bbox[0], min(0.0, bbox[1]), 0.0, max(0.0, bbox[3]))


def _box_bbox(centre: Point, w: float, h: float) -> Bbox:
    return centre[0] - w / 2, centre[1] - h / 2, centre[0] + w / 2, centre[1] + h / 2


def _unit_bbox(node: LabelNode) -> Bbox:
    return _box_bbox(node.centre, node.w, node.h)


def _emit(
    node: LabelNode,
    origin: Point,
    parent: str,
    boxes: list[Box],
    lines: list[Line],
    sign: float = 1.0,
) -> None:
    """Append the node's boxes and line, and its subtree's, placed at ``origin``.

    ``sign`` is -1 when the node's frame is mirrored on the page.
    """
    ox, oy = origin
    boxes += label_boxes(node, ox + node.centre[0], oy + sign * node.centre[1])
    kind = "bone" if node.kind == "category" else "rib"
    end = (ox + node.end[0], oy + sign * node.end[1])
    lines.append(Line(points=(origin, end), kind=kind, tail=parent, head=node.key))
    for child, (dx, dy) in zip(node.children, node.offsets, strict=True):
        child_sign = -sign if child.flip else sign
        _emit(child, (ox + dx, oy + sign * dy), node.key, boxes, lines, child_sign)


def _profile(
    boxes: list[Box], lines: list[Line]
) -> tuple[dict[int, float], dict[int, float]]:
    """Return the leftmost and rightmost x of the content in each band."""
    spans: list[tuple[float, float, float, float]] = [
        (b.y - b.h / 2, b.y + b.h / 2, b.x - b.w / 2, b.x + b.w / 2) for b in boxes
    ]
    for line in lines:
        (xa, ya), (xb, yb) = line.points[0], line.points[-1]
        if abs(yb - ya) < 1e-9:
            spans.append((ya, ya, min(xa, xb), max(xa, xb)))
            continue
        lo, hi = min(ya, yb), max(ya, yb)
        slope = (xb - xa) / (yb - ya)
        for band in range(math.floor(lo / BAND), math.floor(hi / BAND) + 1):
            xs = (
                xa + slope * (max(lo, band * BAND) - ya),
                xa + slope * (min(hi, (band + 1) * BAND) - ya),
            )
            spans.append((band * BAND, band * BAND, min(xs), max(xs)))
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    floor = math.floor
    for y0, y1, x0, x1 in spans:
        for band in range(floor(y0 / BAND), floor(y1 / BAND) + 1):
            if x0 < left.get(band, math.inf):
                left[band] = x0
            if x1 > right.get(band, -math.inf):
                right[band] = x1
    return left, right


def _pack_side(
    bones: list[LabelNode], start: float
) -> tuple[list[Box], list[Line], float]:
    """Place one side's bones right to left from ``start``; return content and min x."""
    boxes: list[Box] = []
    lines: list[Line] = []
    placed: dict[int, float] = {}
    attach = math.inf
    for bone in bones:
        own_boxes: list[Box] = []
        own_lines: list[Line] = []
        _emit(bone, (0.0, 0.0), "spine", own_boxes, own_lines)
        left, right = _profile(own_boxes, own_lines)
        x = min(start - _HGAP - bone.bbox[2], attach - _JOIN)
        for band, r in right.items():
            if band in placed:
                x = min(x, placed[band] - _HGAP - r)
        for band, value in left.items():
            placed[band] = min(placed.get(band, math.inf), value + x)
        attach = x
        boxes += [b.moved(x, 0.0) for b in own_boxes]
        lines += [_move_line(line, x, 0.0) for line in own_lines]
    low = min([start, *(b.x0 for b in boxes), *(ln.points[-1][0] for ln in lines)])
    return boxes, lines, low


def _move_line(line: Line, dx: float, dy: float) -> Line:
    points = tuple((x + dx, y + dy) for x, y in line.points)
    return Line(points=points, kind=line.kind, tail=line.tail, head=line.head)


def fishbone_layout(effect: TextBlock, bones: list[LabelNode]) -> Layout:
    """Return the bare fishbone (head, spine, bones) with the head at the right.

    The head is centred on the origin's spine (y = 0); bones at even indexes
    go above it, odd ones below; nothing is titled, mirrored or moved yet.

    Examples:
        >>> from diagrams.text import measure_label
        >>> bare = fishbone_layout(measure_label("E", max_width=99), [])
        >>> [b.key for b in bare.boxes], [ln.kind for ln in bare.lines]
        (['effect'], ['spine', 'tail', 'tail'])
    """
    for i, bone in enumerate(bones):
        _size(bone, slanted=True, below=i % 2 == 1)
    head = Box(
        key="effect",
        kind="effect",
        x=effect.width / 2,
        y=0.0,
        w=effect.width,
        h=effect.height,
        text=effect,
    )
    upper, up_lines, up_low = _pack_side(bones[0::2], head.x0)
    lower, low_lines, low_low = _pack_side(bones[1::2], head.x0)
    lower = [mirror(b, y=True) for b in lower]
    low_lines = [_mirror_line(line) for line in low_lines]
    tail = min(up_low, low_low) - _TAIL
    spine = Line(
        points=((tail, 0.0), (head.x0, 0.0)), kind="spine", tail="spine", head="effect"
    )
    fins = [
        Line(
            points=((tail, 0.0), (tail - 14.0, dy)),
            kind="tail",
            tail="spine",
            head=f"fin{i}",
        )
        for i, dy in enumerate((12.0, -12.0))
    ]
    return Layout(
        boxes=[head, *upper, *lower],
        lines=[spine, *fins, *up_lines, *low_lines],
    )


def _mirror_line(line: Line) -> Line:
    points = tuple((x, -y) for x, y in line.points)
    return Line(points=points, kind=line.kind, tail=line.tail, head=line.head)


def layout(diagram: Diagram, **options: Any) -> Layout:
    """Lay out a diagram: positioned boxes, lines and arrows, in points, y up.

    ``options`` are those of :class:`~diagrams.options.RenderOptions`
    (``layout="tree"`` gives the compact tree instead of the fishbone).

    Raises:
        DiagramInvalid: when the diagram breaks the model's rules.
        RenderError: when an option is not valid.
        FormatError: when the ranking rows are malformed.

    Examples:
        >>> from fishbone.model import Diagram, Effect
        >>> lay = layout(Diagram(id="d", effect=Effect(label="E")), direction="left")
        >>> [b.kind for b in lay.boxes], lay.width > 0
        (['effect'], True)
    """
    opts = RenderOptions(**options)
    evidence = evidence_from_ranking(opts.ranking)
    effect, bones = build_tree(diagram, opts, evidence)
    if opts.layout == "tree":
        bare = tree_layout(effect, bones)
    else:
        bare = fishbone_layout(effect, bones)
    return finish(bare, diagram, opts, evidence)
