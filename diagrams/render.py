"""Rendering: the only module that runs Graphviz (``neato -n2``, positions pinned).

A :class:`Renderer` turns DOT text into bytes. :class:`GraphvizRenderer` runs
the engine in a subprocess with a timeout and always caps the size of PNG
output; :class:`FakeRenderer` records calls for tests. :func:`render` is the
whole pipeline: layout, DOT, renderer.

Examples:
    >>> from fishbone.model import Diagram, Effect
    >>> fake = FakeRenderer()
    >>> d = Diagram(id="d", effect=Effect(label="E"))
    >>> render(d, format="svg", renderer=fake)[:8]
    b'<svg xml'
    >>> fake.calls[0][1:]
    ('svg', 4000, 96.0)
    >>> render(d, format="dot").startswith(b"digraph fishbone {")
    True
"""

from __future__ import annotations

import logging
import re
import shutil
import struct
import subprocess
from typing import Any, Final, Protocol

from diagrams.dot import to_dot
from diagrams.layout import layout
from diagrams.options import FORMATS, RenderOptions
from diagrams.shapes import Layout
from fishbone.exceptions import RenderError
from fishbone.model import Diagram

__all__ = [
    "FakeRenderer",
    "GraphvizRenderer",
    "Renderer",
    "png_size",
    "render",
    "render_layout",
]

log = logging.getLogger(__name__)

ENGINE: Final = "neato"
_PDF_DATE: Final = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]{0,8}\)")


class Renderer(Protocol):
    """Turns pinned-position DOT into an image."""

    def render(
        self, dot: str, *, format: str, max_pixels: int, dpi: float, timeout: float
    ) -> bytes:
        """Return ``dot`` drawn as ``format`` (svg, png or pdf); PNG no larger than ``max_pixels`` a side."""
        ...


class FakeRenderer:
    """A renderer for tests: records each call and returns a tiny placeholder.

    Examples:
        >>> FakeRenderer().render(
        ...     "digraph {}", format="png", max_pixels=10, dpi=96, timeout=1
        ... )
        b'fake png'
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int, float]] = []

    def render(
        self, dot: str, *, format: str, max_pixels: int, dpi: float, timeout: float
    ) -> bytes:
        """Record the call; return a placeholder (a minimal SVG for ``svg``)."""
        self.calls.append((dot, format, max_pixels, dpi))
        if format == "svg":
            return b'<svg xmlns="http://www.w3.org/2000/svg"/>'
        return f"fake {format}".encode()


def png_size(data: bytes) -> tuple[int, int]:
    r"""Return the width and height of a PNG from its header.

    Raises:
        RenderError: when ``data`` is not a PNG.

    Examples:
        >>> png_size(
        ...     b"\x89PNG\r\n\x1a\n" + bytes(4) + b"IHDR" + struct.pack(">II", 3, 2)
        ... )
        (3, 2)
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        raise RenderError("Graphviz did not return a PNG; check the Graphviz install")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class GraphvizRenderer:
    """Runs Debian's Graphviz (``neato -n2``) in a subprocess.

    Output is deterministic: SVG and PNG are by nature, and the PDF creation
    date (the one thing that changes between runs) is pinned.

    Args:
        executable: the ``neato`` program; found on ``PATH`` when not given.
    """

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable

    def _command(self, format: str, max_pixels: int, dpi: float) -> list[str]:
        found = self.executable or shutil.which(ENGINE)
        if found is None:
            raise RenderError(
                f"Graphviz {ENGINE!r} not found on PATH; install Graphviz (apt-get install graphviz)"
            )
        command = [found, "-n2", f"-T{format}"]
        if format == "png":
            inches = max_pixels / dpi
            # size without "!" only ever scales down: the bitmap stays capped.
            command += [f"-Gdpi={dpi:g}", f"-Gsize={inches:.4f},{inches:.4f}"]
        return command

    def render(
        self,
        dot: str,
        *,
        format: str,
        max_pixels: int = 4000,
        dpi: float = 96.0,
        timeout: float = 60.0,
    ) -> bytes:
        """Return ``dot`` drawn by Graphviz as ``format``.

        Raises:
            RenderError: when the format is unknown, Graphviz is missing, fails
                or runs longer than ``timeout`` seconds.

        Examples:
            >>> GraphvizRenderer().render("digraph {}", format="gif")
            Traceback (most recent call last):
            ...
            fishbone.exceptions.RenderError: Graphviz cannot draw format 'gif' here; use svg, png or pdf
        """
        if format not in ("svg", "png", "pdf"):
            raise RenderError(
                f"Graphviz cannot draw format {format!r} here; use svg, png or pdf"
            )
        command = self._command(format, max_pixels, dpi)
        try:
            done = subprocess.run(
                command,
                input=dot.encode("utf-8"),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise RenderError(
                f"Graphviz took longer than {timeout:g} s; raise the timeout or use --max-depth"
            ) from None
        message = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0 or not done.stdout:
            errors = [
                ln for ln in message.splitlines() if not ln.startswith("Warning:")
            ]
            last = errors[-1] if errors else "no output"
            raise RenderError(
                f"Graphviz failed to draw the diagram (exit status {done.returncode}): {last}"
            )
        if message:
            log.debug("graphviz: %s", message)
        if format == "pdf":
            return _PDF_DATE.sub(_pin_date, done.stdout)
        if format == "png":
            _check_png(done.stdout, max_pixels)
        return done.stdout


def _pin_date(match: re.Match[bytes]) -> bytes:
    """Replace a PDF date by a fixed one of the same length (xref offsets stay valid)."""
    whole = match.group(0)
    fixed = b"/" + match.group(1) + b" (D:20000101000000Z)"
    return (
        fixed.ljust(len(whole) - 1, b" ") + b")"
        if len(fixed) < len(whole)
        else fixed[: len(whole) - 1] + b")"
    )


def _check_png(data: bytes, max_pixels: int) -> None:
    width, height = png_size(data)
    if max(width, height) > max_pixels + 2:
        raise RenderError(
            f"PNG came out {width} x {height}, over the {max_pixels}-pixel cap"
        )


def render_layout(
    lay: Layout,
    *,
    format: str = "svg",
    renderer: Renderer | None = None,
    **options: Any,
) -> bytes:
    """Draw a finished layout as ``format`` (svg, png, pdf, or dot for the DOT text).

    Raises:
        RenderError: when the format or an option is not valid, or Graphviz fails.

    Examples:
        >>> render_layout(Layout(width=10, height=10), format="dot")[:7]
        b'digraph'
        >>> render_layout(Layout(), format="gif")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.RenderError: unknown format 'gif'; use one of svg, png, pdf, dot
    """
    if format not in FORMATS:
        raise RenderError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    opts = RenderOptions(**options)
    dot = to_dot(lay, theme=opts.theme, font=opts.font)
    if format == "dot":
        return dot.encode("utf-8")
    engine = GraphvizRenderer() if renderer is None else renderer
    return engine.render(
        dot, format=format, max_pixels=opts.size, dpi=opts.dpi, timeout=opts.timeout
    )


def render(
    diagram: Diagram,
    format: str = "svg",
    *,
    renderer: Renderer | None = None,
    **options: Any,
) -> bytes:
    """Draw a diagram as a fishbone (or a tree) and return the file's bytes.

    ``format`` is ``svg``, ``png``, ``pdf`` or ``dot``; ``options`` are those of
    :class:`~diagrams.options.RenderOptions` (``max_depth``, ``direction``,
    ``theme``, ``ranking``, ``size``, ``title``, ``font``, ``layout``...).

    Raises:
        DiagramInvalid: when the diagram breaks the model's rules.
        FormatError: when the ranking rows are malformed.
        RenderError: when the format or an option is not valid, or Graphviz fails.

    Examples:
        >>> from fishbone.model import Diagram, Effect
        >>> d = Diagram(id="d", effect=Effect(label="E"))
        >>> render(d, format="svg", renderer=FakeRenderer(), theme="dark")[:4]
        b'<svg'
    """
    if format not in FORMATS:
        raise RenderError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    lay = layout(diagram, **options)
    return render_layout(lay, format=format, renderer=renderer, **options)
