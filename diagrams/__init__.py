"""Drawing fishbone diagrams: layout, DOT text, Graphviz rendering.

The one call most code needs is :func:`render`; :func:`layout` gives the
geometry alone, :func:`to_dot` the DOT text.

Examples:
    >>> import diagrams
    >>> from fishbone.model import Diagram, Effect
    >>> diagrams.render(Diagram(id="d", effect=Effect(label="E")), format="dot")[:7]
    b'digraph'
"""

from diagrams.dot import to_dot
from diagrams.layout import layout
from diagrams.options import FORMATS, RenderOptions, evidence_from_ranking
from diagrams.render import (
    FakeRenderer,
    GraphvizRenderer,
    Renderer,
    render,
    render_layout,
)
from diagrams.shapes import Arrow, Box, Layout, Line

__all__ = [
    "FORMATS",
    "Arrow",
    "Box",
    "FakeRenderer",
    "GraphvizRenderer",
    "Layout",
    "Line",
    "RenderOptions",
    "Renderer",
    "evidence_from_ranking",
    "layout",
    "render",
    "render_layout",
    "to_dot",
]
