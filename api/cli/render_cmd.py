"""The ``render`` command: a diagram file to SVG, PNG, PDF or DOT."""

from __future__ import annotations

import json
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

import diagrams
from fishbone.exceptions import FormatError, RenderError
from fishbone.formats import read_diagram

__all__ = ["COMMANDS", "Direction", "LayoutKind", "ThemeName", "render"]


class Direction(StrEnum):
    """Where the head goes."""

    RIGHT = "right"
    LEFT = "left"


class ThemeName(StrEnum):
    """Colour themes."""

    LIGHT = "light"
    DARK = "dark"
    PRINT = "print"


class LayoutKind(StrEnum):
    """The shape drawn."""

    FISHBONE = "fishbone"
    TREE = "tree"


def _read_ranking(path: Path) -> Any:
    """Return the rows of a ranking JSON file (a list, or an object holding one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read the ranking: {exc}", source=str(path)) from None
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"not JSON: {exc.msg}", source=str(path), line=exc.lineno
        ) from None
    if isinstance(data, dict):
        for key in ("ranking", "rows", "causes"):
            if isinstance(data.get(key), list):
                return data[key]
    if not isinstance(data, list):
        raise FormatError(
            "expected a list of ranking rows (as `fishbone rank --format json` writes)",
            source=str(path),
        )
    return data


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a temporary file in the same directory replaces ``path``.

    Raises:
        RenderError: when the file cannot be written (nothing is left behind).
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise RenderError(
            f"cannot write {str(path)!r}: {exc.strerror or exc}"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RenderError(
            f"cannot write {str(path)!r}: {exc.strerror or exc}"
        ) from None


def render(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="Diagram file (.json, .txt, .csv or .mmd).",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="Output file: .svg, .png, .pdf or .dot.",
        ),
    ],
    max_depth: Annotated[
        int | None,
        typer.Option(
            "--max-depth",
            min=0,
            help="Cause levels to draw; deeper ones fold into '+k more'.",
        ),
    ] = None,
    direction: Annotated[
        Direction, typer.Option("--direction", help="Head at the right or the left.")
    ] = Direction.RIGHT,
    theme: Annotated[
        ThemeName, typer.Option("--theme", help="Colour theme.")
    ] = ThemeName.LIGHT,
    ranking: Annotated[
        Path | None,
        typer.Option(
            "--ranking",
            exists=True,
            dir_okay=False,
            help="Ranking JSON (from `fishbone rank --format json`): heat colours and rank badges.",
        ),
    ] = None,
    size: Annotated[
        int,
        typer.Option("--size", min=16, max=32000, help="Largest PNG side, in pixels."),
    ] = 4000,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="Title above the diagram (default: the diagram's)."
        ),
    ] = None,
    font: Annotated[
        str, typer.Option("--font", help="Font family of the labels.")
    ] = "DejaVu Sans",
    layout: Annotated[
        LayoutKind,
        typer.Option(
            "--layout", help="fishbone, or tree (compact, for very large diagrams)."
        ),
    ] = LayoutKind.FISHBONE,
) -> None:
    """Draw a diagram as a fishbone: SVG, PNG, PDF or DOT, from the output's extension."""
    format = output.suffix.lower().lstrip(".")
    if format not in diagrams.FORMATS:
        raise RenderError(
            f"cannot tell the format of {str(output)!r}; end it in .svg, .png, .pdf or .dot"
        )
    diagram = read_diagram(file)
    options: dict[str, Any] = {
        "max_depth": max_depth,
        "direction": direction.value,
        "theme": theme.value,
        "ranking": None if ranking is None else _read_ranking(ranking),
        "size": size,
        "title": title,
        "font": font,
        "layout": layout.value,
    }
    lay = diagrams.layout(diagram, **options)
    for warning in lay.warnings:
        typer.echo(f"warning: {warning}", err=True)
    _write(output, diagrams.render_layout(lay, format=format, **options))
    typer.echo(
        f"wrote {output} ({format}, {lay.width:.0f} x {lay.height:.0f} pt)", err=True
    )


COMMANDS = [render]
