"""Pareto charts of a ranking: bars by share, Wilson whiskers, cumulative line, 80 % mark.

One geometry (:func:`~diagrams.chart_geometry.pareto_geometry`) is drawn two ways, both pure text:

- :func:`pareto_svg` writes SVG directly (no script, every label escaped text);
- :func:`pareto_dot` writes DOT with pinned positions for ``neato -n2``, which
  :func:`render_pareto` hands to a :class:`~diagrams.render.Renderer` for PNG and PDF.

Rows are :class:`fishbone.ranking.RankedCause` objects or their JSON rows
(``cause``, ``label``, ``share``, ``share_ci``, optional ``cumulative`` and
``vital``). Bars run by share, largest first; past ``top`` bars the rest are
left out and counted in the footnote.

Examples:
    >>> rows = [
    ...     {
    ...         "cause": "a",
    ...         "label": "Slow <refunds>",
    ...         "share": 0.5,
    ...         "share_ci": [0.4, 0.6],
    ...         "cumulative": 0.7,
    ...         "vital": True,
    ...     },
    ...     {
    ...         "cause": "b",
    ...         "label": "Queues",
    ...         "share": 0.2,
    ...         "share_ci": [0.1, 0.3],
    ...         "cumulative": 1.0,
    ...         "vital": False,
    ...     },
    ... ]
    >>> svg = pareto_svg(rows, title="Why customers call")
    >>> svg.startswith("<svg"), "Slow &lt;refunds&gt;" in svg, "<script" in svg
    (True, True, False)
    >>> [b.cumulative for b in pareto_geometry(rows).bars]
    [0.7, 1.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from diagrams.chart_dot import pareto_dot
from diagrams.chart_geometry import Bar, ParetoGeometry, Row, pareto_geometry
from diagrams.chart_svg import pareto_svg
from diagrams.render import GraphvizRenderer, Renderer
from fishbone.exceptions import RenderError

__all__ = [
    "CHART_FORMATS",
    "Bar",
    "ParetoGeometry",
    "pareto_dot",
    "pareto_geometry",
    "pareto_svg",
    "render_pareto",
]

CHART_FORMATS: Final = ("svg", "png", "pdf", "dot")
"""Formats :func:`render_pareto` can produce."""


def render_pareto(
    rows: Iterable[Row],
    format: str = "svg",
    *,
    renderer: Renderer | None = None,
    top: int = 15,
    vital_share: float = 0.8,
    title: str = "",
    theme: str = "light",
    max_pixels: int = 4000,
    dpi: float = 96.0,
    timeout: float = 60.0,
) -> bytes:
    """Return the Pareto chart as ``format``: svg (our own), dot, or png/pdf through Graphviz.

    Raises:
        RenderError: when the format is unknown or Graphviz fails.
        FormatError: when a row's share or interval is not a number.

    Examples:
        >>> from diagrams.render import FakeRenderer
        >>> fake = FakeRenderer()
        >>> render_pareto([{"cause": "a", "share": 0.5}], "png", renderer=fake)
        b'fake png'
        >>> fake.calls[0][0].startswith("digraph pareto"), fake.calls[0][1]
        (True, 'png')
    """
    if format not in CHART_FORMATS:
        raise RenderError(
            f"unknown chart format {format!r}; use one of {', '.join(CHART_FORMATS)}"
        )
    rows = list(rows)
    options = {"top": top, "vital_share": vital_share, "title": title, "theme": theme}
    if format == "svg":
        return pareto_svg(rows, **options).encode("utf-8")  # type: ignore[arg-type]
    dot = pareto_dot(rows, **options)  # type: ignore[arg-type]
    if format == "dot":
        return dot.encode("utf-8")
    engine = GraphvizRenderer() if renderer is None else renderer
    return engine.render(
        dot, format=format, max_pixels=max_pixels, dpi=dpi, timeout=timeout
    )
