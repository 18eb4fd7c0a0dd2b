"""The plain data a layout produces: label boxes, lines and arrows, in points.

Coordinates follow Graphviz: x to the right, y up, origin at the bottom left.
A :class:`Layout` is all :mod:`diagrams.dot` needs to write DOT.

Examples:
    >>> a = Box(key="a", kind="cause", x=10, y=10, w=10, h=10)
    >>> b = Box(key="b", kind="cause", x=25, y=10, w=10, h=10)
    >>> a.overlaps(b), a.overlaps(Box(key="c", kind="cause", x=14, y=14, w=4, h=4))
    (False, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diagrams.text import TextBlock

__all__ = ["Arrow", "Box", "Layout", "Line", "Point"]

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Box:
    """A label (or badge, legend swatch, title) centred at ``(x, y)``, ``w`` x ``h``.

    Attributes:
        key: unique name of the box in the layout (``"cause:c1"``...).
        kind: ``effect``, ``category``, ``cause``, ``badge``, ``title``,
            ``legend`` or ``swatch``.
        text: the wrapped label, or None for a bare shape.
        depth: cause level (1 on a bone), 0 otherwise.
        status: the cause's status (``proposed``, ``verified``...).
        heat: heat in [0, 1] from a ranking, when any (the theme colours it).
        ref: the diagram id behind the box (cause or category id).
    """

    key: str
    kind: str
    x: float
    y: float
    w: float
    h: float
    text: TextBlock | None = None
    depth: int = 0
    status: str = "proposed"
    heat: float | None = None
    ref: str = ""

    @property
    def x0(self) -> float:
        """Left edge."""
        return self.x - self.w / 2

    @property
    def x1(self) -> float:
        """Right edge."""
        return self.x + self.w / 2

    @property
    def y0(self) -> float:
        """Bottom edge."""
        return self.y - self.h / 2

    @property
    def y1(self) -> float:
        """Top edge."""
        return self.y + self.h / 2

    def overlaps(self, other: Box, *, margin: float = 0.0) -> bool:
        """Return whether the two boxes share area (touching edges do not count).

        Examples:
            >>> a = Box(key="a", kind="cause", x=0, y=0, w=2, h=2)
            >>> a.overlaps(Box(key="b", kind="cause", x=2, y=0, w=2, h=2))
            False
        """
        return (
            self.x0 < other.x1 - margin
            and other.x0 < self.x1 - margin
            and self.y0 < other.y1 - margin
            and other.y0 < self.y1 - margin
        )

    def moved(self, dx: float, dy: float) -> Box:
        """Return the box shifted by ``(dx, dy)``.

        Examples:
            >>> Box(key="a", kind="cause", x=1, y=2, w=3, h=4).moved(10, -2).x0
            9.5
        """
        # Built directly: dataclasses.replace is slow over thousands of boxes.
        return Box(
            self.key,
            self.kind,
            self.x + dx,
            self.y + dy,
            self.w,
            self.h,
            self.text,
            self.depth,
            self.status,
            self.heat,
            self.ref,
        )


@dataclass(frozen=True, slots=True)
class Line:
    """A polyline: the spine, a bone, a rib or a tree connector."""

    points: tuple[Point, ...]
    kind: str
    """``spine``, ``bone``, ``rib``, ``tail`` or ``tree``."""
    tail: str = ""
    """Key of the box the line belongs to (its DOT edge runs tail -> head)."""
    head: str = ""


@dataclass(frozen=True, slots=True)
class Arrow:
    """A cross-link: a cubic Bezier from ``points[0]`` to ``end`` (the arrow tip)."""

    points: tuple[Point, Point, Point, Point]
    end: Point
    tail: str
    head: str
    label: str = ""


@dataclass(slots=True)
class Layout:
    """Everything placed: boxes, lines, arrows, the canvas size and any warnings."""

    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    warnings: list[str] = field(default_factory=list)
