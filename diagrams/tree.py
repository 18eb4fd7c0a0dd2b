"""The compact tree layout: the effect at the left, one column per level.

For diagrams too large to read as a fishbone. Every subtree owns a horizontal
band as tall as its leaves stacked (or its own label, if taller); a parent is
centred on its children; connectors are elbows drawn in the gaps between
columns, so no line crosses a label and no two labels overlap.

Examples:
    >>> from diagrams.labels import LabelNode
    >>> from diagrams.text import measure_label
    >>> leaf = LabelNode("cause:a", "a", "cause", 1, measure_label("A", max_width=99))
    >>> bone = LabelNode(
    ...     "category:k",
    ...     "k",
    ...     "category",
    ...     0,
    ...     measure_label("K", max_width=99),
    ...     children=[leaf],
    ... )
    >>> lay = tree_layout(measure_label("E", max_width=99), [bone])
    >>> [b.key for b in sorted(lay.boxes, key=lambda b: b.x)]
    ['effect', 'category:k', 'cause:a']
"""

from __future__ import annotations

from typing import Final

from diagrams.labels import LabelNode, label_boxes
from diagrams.shapes import Layout, Line
from diagrams.text import TextBlock

__all__ = ["tree_layout"]

_COLUMN_GAP: Final = 36.0
_ROW_GAP: Final = 4.0


def _heights(node: LabelNode) -> float:
    """Store and return the band height of each subtree (in ``bbox[3]``)."""
    below = sum(_heights(c) for c in node.children) + _ROW_GAP * max(
        0, len(node.children) - 1
    )
    band = max(node.h, below)
    node.bbox = (0.0, 0.0, 0.0, band)
    return band


def _columns(nodes: list[LabelNode], level: int, widths: list[float]) -> None:
    if not nodes:
        return
    if len(widths) <= level:
        widths.append(0.0)
    widths[level] = max(widths[level], *(n.w for n in nodes))
    _columns([c for n in nodes for c in n.children], level + 1, widths)


def tree_layout(effect: TextBlock, bones: list[LabelNode]) -> Layout:
    """Return the tree: the effect at the left, categories, then causes by level.

    Examples:
        >>> from diagrams.text import measure_label
        >>> [b.kind for b in tree_layout(measure_label("E", max_width=99), []).boxes]
        ['effect']
    """
    root = LabelNode("effect", "", "effect", 0, effect, children=bones)
    _heights(root)
    widths: list[float] = []
    _columns([root], 0, widths)
    lefts = [0.0]
    for w in widths[:-1]:
        lefts.append(lefts[-1] + w + _COLUMN_GAP)
    lay = Layout()
    _place(root, 0, 0.0, lefts, widths, lay)
    return lay


def _place(
    node: LabelNode,
    level: int,
    top: float,
    lefts: list[float],
    widths: list[float],
    lay: Layout,
) -> float:
    """Place a subtree whose band starts at ``top`` (going down); return its centre y."""
    band = node.bbox[3]
    centres = []
    y = top - (band - _kids_height(node)) / 2
    for child in node.children:
        centres.append(_place(child, level + 1, y, lefts, widths, lay))
        y -= child.bbox[3] + _ROW_GAP
    cy = (centres[0] + centres[-1]) / 2 if centres else top - band / 2
    cy = min(cy, top - node.h / 2)
    cy = max(cy, top - band + node.h / 2)
    boxes = label_boxes(node, lefts[level] + node.w / 2, cy)
    lay.boxes += boxes
    if node.children:
        right = lefts[level] + node.w
        gap_x = lefts[level] + widths[level] + _COLUMN_GAP / 2
        for child, child_y in zip(node.children, centres, strict=True):
            points = (
                (right, cy),
                (gap_x, cy),
                (gap_x, child_y),
                (lefts[level + 1], child_y),
            )
            lay.lines.append(
                Line(points=points, kind="tree", tail=node.key, head=child.key)
            )
    return cy


def _kids_height(node: LabelNode) -> float:
    if not node.children:
        return node.bbox[3]
    return sum(c.bbox[3] for c in node.children) + _ROW_GAP * (len(node.children) - 1)
