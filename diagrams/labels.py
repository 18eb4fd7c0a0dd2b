"""The tree of measured labels that both layouts place: categories, causes, marks.

:func:`build_tree` folds levels below ``max_depth`` into a "+k more" mark, adds
status marks and vote dots, attaches heat and rank badges from a ranking, and
measures every label with the font Graphviz will draw it in.

Examples:
    >>> from fishbone.model import Category, Cause, Diagram, Effect
    >>> d = Diagram(
    ...     id="d",
    ...     effect=Effect(label="Happy customers"),
    ...     categories=[Category(id="p", label="Processes")],
    ...     causes=[
    ...         Cause(id="a", label="Fast refunds", category="p", votes=3),
    ...         Cause(id="b", label="Clear policy", category="p", parent="a"),
    ...     ],
    ... )
    >>> effect, (bone,) = build_tree(d, RenderOptions(max_depth=1), Evidence())
    >>> bone.children[0].text.lines
    ('Fast refunds', '●●●', '+1 more')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from diagrams.options import Evidence, RenderOptions
from diagrams.shapes import Box, Point
from diagrams.text import TextBlock, measure_label
from fishbone.model import Cause, Diagram, Status
from fishbone.validation import check_diagram

__all__ = [
    "BADGE",
    "STATUS_MARKS",
    "LabelNode",
    "build_tree",
    "label_boxes",
    "measure_effect",
]

BADGE: Final = 16.0
"""Diameter of a rank badge, in points; a gap of a quarter of it separates it from its label."""
STATUS_MARKS: Final = {Status.VERIFIED: "\u2714 ", Status.ADDRESSED: "\u2611 "}
"""Prefixes that mark a cause's status (rejected causes are struck through)."""
MAX_DOTS: Final = 10

_STYLE: Final = {
    # kind/depth -> (font size, bold, wrap width)
    "effect": (14.0, True, 150.0),
    "category": (12.0, True, 170.0),
    "cause": (10.0, False, 140.0),
    "sub": (9.0, False, 125.0),
}


@dataclass(slots=True)
class LabelNode:
    """A category or cause with its measured label; layouts fill in the geometry.

    ``w`` and ``h`` are the size of the whole unit: the label, and the rank
    badge left of it when there is one.
    """

    key: str
    ref: str
    kind: str
    depth: int
    text: TextBlock
    status: str = "proposed"
    heat: float | None = None
    rank: int | None = None
    children: list[LabelNode] = field(default_factory=list)
    # geometry, relative to the node's attach point (filled in by a layout)
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    centre: Point = (0.0, 0.0)
    end: Point = (0.0, 0.0)
    offsets: list[Point] = field(default_factory=list)
    flip: bool = False
    """Whether the subtree's frame is mirrored (y -> -y) against its parent's."""

    @property
    def w(self) -> float:
        """Width of the unit (label plus badge)."""
        extra = BADGE * 1.25 if self.rank is not None else 0.0
        return self.text.width + extra

    @property
    def h(self) -> float:
        """Height of the unit."""
        return max(self.text.height, BADGE + 2 if self.rank is not None else 0.0)


def _marks(cause: Cause, hidden: int) -> tuple[str, ...]:
    marks = []
    if cause.votes:
        dots = "\u25cf" * min(cause.votes, MAX_DOTS)
        over = cause.votes - MAX_DOTS
        marks.append(f"{dots} +{over}" if over > 0 else dots)
    if hidden:
        marks.append(f"+{hidden} more")
    return tuple(marks)


def measure_effect(label: str, *, font: str) -> TextBlock:
    """Return the measured label of the effect (the head).

    Examples:
        >>> measure_effect("Happy customers", font="DejaVu Sans").bold
        True
    """
    size, bold, wrap = _STYLE["effect"]
    return measure_label(label, max_width=wrap, size=size, family=font, bold=bold)


def build_tree(
    diagram: Diagram, options: RenderOptions, evidence: Evidence
) -> tuple[TextBlock, list[LabelNode]]:
    """Return the measured effect and one node per category, causes below.

    Raises:
        DiagramInvalid: when the diagram breaks the model's rules.

    Examples:
        >>> from fishbone.model import Category, Diagram, Effect
        >>> d = Diagram(
        ...     id="d",
        ...     effect=Effect(label="E"),
        ...     categories=[Category(id="p", label="P")],
        ... )
        >>> effect, bones = build_tree(d, RenderOptions(), Evidence())
        >>> effect.lines, [b.key for b in bones]
        (('E',), ['category:p'])
    """
    check_diagram(diagram)
    kids: dict[str | None, list[Cause]] = {}
    for cause in diagram.causes:
        kids.setdefault(cause.parent or None, []).append(cause)
    by_category: dict[str, list[Cause]] = {}
    for cause in kids.get(None, []):
        by_category.setdefault(cause.category, []).append(cause)
    limit = options.max_depth
    top_ranks = {
        ref: rank for ref, rank in evidence.ranks.items() if rank <= options.badges
    }

    def count(cause: Cause) -> int:
        return sum(1 + count(c) for c in kids.get(cause.id, []))

    def grow(cause: Cause, depth: int) -> LabelNode:
        below = kids.get(cause.id, [])
        folded = limit is not None and depth >= limit
        hidden = sum(1 + count(c) for c in below) if folded else 0
        size, _, wrap = _STYLE["cause" if depth == 1 else "sub"]
        prefix = STATUS_MARKS.get(cause.status, "")
        text = measure_label(
            prefix + cause.label,
            max_width=wrap,
            size=size,
            family=options.font,
            extra_lines=_marks(cause, hidden),
        )
        return LabelNode(
            key=f"cause:{cause.id}",
            ref=cause.id,
            kind="cause",
            depth=depth,
            text=text,
            status=str(cause.status),
            heat=evidence.heat.get(cause.id),
            rank=top_ranks.get(cause.id),
            children=[] if folded else [grow(c, depth + 1) for c in below],
        )

    size, bold, wrap = _STYLE["category"]
    bones = []
    for cat in diagram.categories:
        causes = by_category.get(cat.id, [])
        hidden = sum(1 + count(c) for c in causes) if limit == 0 else 0
        text = measure_label(
            cat.label,
            max_width=wrap,
            size=size,
            family=options.font,
            bold=bold,
            extra_lines=(f"+{hidden} more",) if hidden else (),
        )
        node = LabelNode(
            key=f"category:{cat.id}",
            ref=cat.id,
            kind="category",
            depth=0,
            text=text,
            heat=evidence.heat.get(cat.id),
            children=[] if limit == 0 else [grow(c, 1) for c in causes],
        )
        bones.append(node)
    return measure_effect(diagram.effect.label, font=options.font), bones


def label_boxes(node: LabelNode, cx: float, cy: float) -> list[Box]:
    """Return the boxes of a node's unit centred at ``(cx, cy)``: label, then badge.

    Examples:
        >>> from diagrams.text import measure_label
        >>> n = LabelNode("cause:a", "a", "cause", 1, measure_label("A", max_width=50))
        >>> [b.kind for b in label_boxes(n, 0, 0)]
        ['cause']
        >>> n.rank = 1
        >>> [(b.kind, b.x0 < 0) for b in label_boxes(n, 0, 0)]
        [('cause', False), ('badge', True)]
    """
    left = cx - node.w / 2
    label = Box(
        key=node.key,
        kind=node.kind,
        x=left + node.w - node.text.width / 2,
        y=cy,
        w=node.text.width,
        h=node.text.height,
        text=node.text,
        depth=node.depth,
        status=node.status,
        heat=node.heat,
        ref=node.ref,
    )
    if node.rank is None:
        return [label]
    badge_text = measure_label(str(node.rank), max_width=BADGE * 4, size=8.0, bold=True)
    badge = Box(
        key=f"badge:{node.ref}",
        kind="badge",
        x=left + BADGE / 2,
        y=cy,
        w=BADGE,
        h=BADGE,
        text=badge_text,
        ref=node.ref,
    )
    return [label, badge]
