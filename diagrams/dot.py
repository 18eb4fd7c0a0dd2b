"""Layout -> DOT text with pinned positions, for ``neato -n2``. Pure: no subprocess.

Every box becomes a fixed-size node at its computed position; every line an
edge whose ``pos`` spline is given, so Graphviz only draws. Labels are HTML-like
labels whose text is fully entity-escaped (:func:`escape_html`): a label is
text, never markup, whatever characters it holds.

Examples:
    >>> from diagrams.shapes import Box, Layout
    >>> from diagrams.text import measure_label
    >>> box = Box(
    ...     key="effect",
    ...     kind="effect",
    ...     x=40,
    ...     y=20,
    ...     w=60,
    ...     h=20,
    ...     text=measure_label("A & <b>", max_width=99),
    ... )
    >>> text = to_dot(Layout(boxes=[box], width=80, height=40))
    >>> print(text.splitlines()[-2])
    n0 [pos="40.00,20.00", width=0.8333, height=0.2778, shape=box, style="rounded,filled", fillcolor="#1f3a5f", color="#1f3a5f", penwidth=2, label=<<FONT FACE="DejaVu Sans" POINT-SIZE="10" COLOR="#ffffff">A &amp; &lt;b&gt;</FONT>>];
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Final

from diagrams.shapes import Arrow, Box, Layout, Line, Point
from diagrams.text import CONTROL_CHARS as _CONTROL
from diagrams.text import clean_text
from diagrams.theme import Theme, get_theme, text_on

__all__ = ["escape_html", "quote", "to_dot"]

# Graphviz decodes entities first and then expands escapes such as \N (node
# name) and \G (graph name) even in HTML-like labels: a doubled backslash is
# the only way to draw one.
_HTML_ESCAPES: Final = {
    ord("\\"): "\\\\",
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    # A label that is just "]" is a syntax error to Graphviz 2.43 (found by
    # the arbitrary-unicode test); as an entity it draws.
    ord("]"): "&#93;",
    ord("'"): "&#39;",
}

_LINE_STYLE: Final = {
    # kind -> (pen width, theme colour attribute)
    "spine": (3.0, "bone"),
    "tail": (3.0, "bone"),
    "bone": (2.0, "bone"),
    "rib": (1.0, "rib"),
    "tree": (1.0, "rib"),
}


def escape_html(text: str) -> str:
    r"""Return ``text`` safe inside a Graphviz HTML-like label: every markup character is an entity.

    Backslashes are doubled, so ``\N`` stays two characters rather than the
    node's name. Control characters and lone surrogates are dropped first
    (:func:`clean_text`).

    Examples:
        >>> escape_html('<script>alert("x")</script> & co')
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'
        >>> print(escape_html("\\N"))
        \\N
    """
    return clean_text(text).translate(_HTML_ESCAPES)


def quote(value: str) -> str:
    r"""Return a DOT double-quoted string: backslashes and quotes escaped, one line.

    Examples:
        >>> print(quote('say "hi" \\ bye'))
        "say \"hi\" \\ bye"
    """
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + value.replace("\n", "\\n").replace("\r", "") + '"'


def _num(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _pos(point: Point) -> str:
    return f"{_num(point[0])},{_num(point[1])}"


def _spline(points: tuple[Point, ...]) -> str:
    """Return a ``pos`` spline through the polyline: each segment a straight cubic."""
    out = [points[0]]
    for (xa, ya), (xb, yb) in pairwise(points):
        dx, dy = (xb - xa) / 3, (yb - ya) / 3
        out += [(xa + dx, ya + dy), (xa + 2 * dx, ya + 2 * dy), (xb, yb)]
    return " ".join(_pos(p) for p in out)


def _label(box: Box, theme: Theme, font: str, ink: str) -> str:
    """Return the HTML-like label of a box: escaped lines, marks muted."""
    assert box.text is not None
    block = box.text
    # measure_label cleaned the lines; strip control characters again in case
    # a TextBlock was built by hand, then escape.
    lines = [_CONTROL.sub("", line).translate(_HTML_ESCAPES) for line in block.lines]
    first_extra = len(lines) - block.extra
    if box.status == "rejected":
        lines[:first_extra] = [
            f"<S>{line}</S>" if line else line for line in lines[:first_extra]
        ]
    if block.extra:
        muted = "".join(f"<BR/>{line}" for line in lines[first_extra:])
        body = (
            "<BR/>".join(lines[:first_extra])
            + f'<FONT COLOR="{theme.muted}">{muted}</FONT>'
        )
    else:
        body = "<BR/>".join(lines)
    if not body.strip():
        # Graphviz drops whitespace-only text and then rejects the empty <FONT>.
        return '""'
    if block.bold:
        body = f"<B>{body}</B>"
    size = f"{block.size:g}"
    return f'<<FONT FACE="{escape_html(font)}" POINT-SIZE="{size}" COLOR="{ink}">{body}</FONT>>'


def _style(box: Box, theme: Theme) -> tuple[str, str]:
    """Return the node attributes (after pos and size) and the text colour of a box."""
    fill = theme.background if box.heat is None else theme.heat(box.heat)
    if box.kind == "effect":
        return (
            f'shape=box, style="rounded,filled", fillcolor="{theme.head_fill}", color="{theme.bone}", penwidth=2',
            theme.head_ink,
        )
    if box.kind == "category":
        return (
            f'shape=box, style="rounded,filled", fillcolor="{fill}", color="{theme.bone}", penwidth=1.5',
            theme.category_ink if box.heat is None else text_on(fill),
        )
    if box.kind == "badge":
        return (
            f'shape=circle, style=filled, fillcolor="{theme.badge_fill}", color="{theme.badge_fill}"',
            theme.badge_ink,
        )
    if box.kind == "swatch":
        return (
            f'shape=box, style=filled, fillcolor="{fill}", color="{theme.muted}", penwidth=0.5',
            theme.ink,
        )
    if box.kind == "link":
        return (
            f'shape=box, style=filled, fillcolor="{theme.background}", color="{theme.background}", penwidth=0',
            theme.link,
        )
    if box.kind in ("title", "legend"):
        return (
            f'shape=box, style=filled, fillcolor="{theme.background}", color="{theme.background}", penwidth=0',
            theme.ink,
        )
    ink = {
        "verified": theme.good,
        "addressed": theme.done,
        "rejected": theme.muted,
    }.get(box.status, theme.ink)
    if box.heat is not None:
        ink = text_on(fill) if box.status == "proposed" else ink
        return (
            f'shape=box, style="rounded,filled", fillcolor="{fill}", color="{fill}", penwidth=0',
            ink,
        )
    return (
        f'shape=box, style=filled, fillcolor="{fill}", color="{fill}", penwidth=0',
        ink,
    )


def _nodes(
    layout: Layout, theme: Theme, font: str, names: dict[str, str]
) -> Iterator[str]:
    for box in layout.boxes:
        name = names.setdefault(box.key, f"n{len(names)}")
        attrs, ink = _style(box, theme)
        label = _label(box, theme, font, ink) if box.text is not None else '""'
        # The SVG group of a cause or category carries its diagram id, so a
        # page can find it; quote() keeps it text (Graphviz XML-escapes it).
        ident = f", id={quote(box.key)}" if box.ref and box.kind != "badge" else ""
        yield (
            f'{name} [pos="{_pos((box.x, box.y))}", width={box.w / 72:.4f}, '
            f"height={box.h / 72:.4f}, {attrs}{ident}, label={label}];"
        )


def _ends(layout: Layout, names: dict[str, str]) -> Iterator[str]:
    """Invisible point nodes for line ends that are not boxes (spine tail, fins)."""
    for line in layout.lines:
        for key, point in ((line.tail, line.points[0]), (line.head, line.points[-1])):
            if key not in names:
                names[key] = f"n{len(names)}"
                yield f'{names[key]} [pos="{_pos(point)}", shape=point, width=0, height=0, style=invis, label=""];'


def _edges(
    lines: list[Line], arrows: list[Arrow], theme: Theme, names: dict[str, str]
) -> Iterator[str]:
    for line in lines:
        width, colour = _LINE_STYLE[line.kind]
        yield (
            f'{names[line.tail]} -> {names[line.head]} [pos="{_spline(line.points)}", '
            f'penwidth={width:g}, color="{getattr(theme, colour)}"];'
        )
    for arrow in arrows:
        yield (
            f'{names[arrow.tail]} -> {names[arrow.head]} [pos="e,{_pos(arrow.end)} '
            f'{" ".join(_pos(p) for p in arrow.points)}", dir=forward, arrowsize=0.6, '
            f'penwidth=0.8, style=dashed, color="{theme.link}"];'
        )


def to_dot(
    layout: Layout, *, theme: Theme | str = "light", font: str = "DejaVu Sans"
) -> str:
    """Return DOT text that draws ``layout`` as is with ``neato -n2``.

    Nodes are named ``n0``, ``n1``... in layout order, so any id or label text
    stays out of the DOT syntax; the same layout always gives the same text.

    Raises:
        RenderError: when ``theme`` names no theme.

    Examples:
        >>> print(to_dot(Layout(width=10, height=10)), end="")
        digraph fishbone {
        graph [bb="0,0,10.00,10.00", bgcolor="#ffffff", pad=0.1, outputorder=edgesfirst, splines=true];
        node [fixedsize=true, margin=0];
        edge [dir=none, arrowhead=normal];
        }
    """
    theme = get_theme(theme) if isinstance(theme, str) else theme
    names: dict[str, str] = {}
    head = [
        "digraph fishbone {",
        f'graph [bb="0,0,{_num(layout.width)},{_num(layout.height)}", '
        f'bgcolor="{theme.background}", pad=0.1, outputorder=edgesfirst, splines=true];',
        "node [fixedsize=true, margin=0];",
        "edge [dir=none, arrowhead=normal];",
    ]
    body = [*_nodes(layout, theme, font, names), *_ends(layout, names)]
    body += _edges(layout.lines, layout.arrows, theme, names)
    return "\n".join([*head, *body, "}"]) + "\n"
