"""Shared pieces of the ranking commands: options, loading and matching feedback, writing output."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.progress import reading_progress

if TYPE_CHECKING:
    from fishbone.feedback import ImportResult
    from fishbone.model import Diagram
    from fishbone.records import FeedbackTable, Mentions


__all__ = [
    "DateFormatOpt",
    "EncodingOpt",
    "FeedbackOpt",
    "HalfLifeOpt",
    "Level",
    "LevelOpt",
    "MapOpt",
    "Method",
    "OutputFormat",
    "ScaleOpt",
    "StrictOpt",
    "TagMapOpt",
    "emit",
    "format_for",
    "load",
    "rows_to_csv",
    "write_atomic",
]


class Method(StrEnum):
    """Ranking methods."""

    PARETO = "pareto"
    IMPACT = "impact"
    DRIVERS = "drivers"


class Level(StrEnum):
    """What is ranked."""

    CAUSES = "causes"
    TOP = "top"
    CATEGORIES = "categories"


class OutputFormat(StrEnum):
    """How the ranking is written."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FeedbackOpt = Annotated[
    Path,
    typer.Option(
        "--feedback",
        "-f",
        exists=True,
        dir_okay=False,
        help="Feedback data: .csv, .json (array) or .ndjson.",
    ),
]
MapOpt = Annotated[
    str | None,
    typer.Option("--map", help="Column roles, e.g. text=comment,score=nps."),
]
TagMapOpt = Annotated[
    str | None,
    typer.Option("--tag-map", help="Tags to causes: a JSON file or tag=cause;cause."),
]
ScaleOpt = Annotated[
    str | None,
    typer.Option(
        "--scale", help="Score scale: nps, csat, ces, stars, binary or MIN-MAX."
    ),
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="File encoding when not UTF-8.")
]
DateFormatOpt = Annotated[
    str | None,
    typer.Option("--date-format", help="Numeric dates: dmy, mdy, ymd or strptime."),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on the first bad row.")]
LevelOpt = Annotated[
    Level,
    typer.Option("--level", help="Rank causes, top-level causes or categories."),
]
HalfLifeOpt = Annotated[
    float | None,
    typer.Option(
        "--half-life", min=0.001, help="Weight comments by 2^(-age/half-life), days."
    ),
]


def read_feedback_file(
    feedback: Path,
    *,
    map_: str | None,
    scale: str | None,
    encoding: str | None,
    date_format: str | None,
    strict: bool,
) -> ImportResult:
    """Read a feedback file with the CLI's options, with a progress bar on a terminal."""
    from fishbone.feedback import read_feedback
    from fishbone.feedback_columns import parse_mapping

    with reading_progress(feedback) as progress:
        return read_feedback(
            feedback,
            mapping=parse_mapping(map_) if map_ else None,
            scale=scale,
            encoding=encoding,
            date_format=date_format,
            strict=strict,
            progress=progress,
        )


def load(
    file: Path,
    feedback: Path,
    *,
    map_: str | None,
    tag_map: str | None,
    scale: str | None,
    encoding: str | None,
    date_format: str | None,
    strict: bool,
) -> tuple[Diagram, FeedbackTable, Mentions]:
    """Read the diagram and feedback, report skipped rows on stderr, match causes."""
    from api.cli.feedback_cmd import parse_tag_map
    from fishbone.formats import read_diagram
    from fishbone.matching import match

    diagram = read_diagram(file)
    result = read_feedback_file(
        feedback,
        map_=map_,
        scale=scale,
        encoding=encoding,
        date_format=date_format,
        strict=strict,
    )
    rep = result.report
    if rep.skipped:
        typer.echo(f"{rep.source}: {rep.skipped} rows skipped", err=True)
        for rejection in rep.rejected[:5]:
            typer.echo(f"  {rejection}", err=True)
    mentions = match(
        diagram, result.table, tag_map=parse_tag_map(tag_map) if tag_map else None
    )
    return diagram, result.table, mentions


def write_atomic(path: Path, data: bytes) -> None:
    """Write atomically: a temporary file in the same directory replaces ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rows_to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Return ranking rows as CSV: intervals split into ``_lo``/``_hi``, quotes joined by `` | ``."""
    flat: list[dict[str, Any]] = []
    for row in rows:
        out: dict[str, Any] = {}
        for key, value in row.items():
            if key.endswith("_ci"):
                lo, hi = value if value else (None, None)
                out[f"{key[:-3]}_lo"], out[f"{key[:-3]}_hi"] = lo, hi
            elif isinstance(value, list):
                out[key] = " | ".join(str(v) for v in value)
            else:
                out[key] = value
        flat.append(out)
    buffer = io.StringIO()
    fields = list(flat[0]) if flat else ["cause"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buffer.getvalue()


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` (atomically), or to stdout when None."""
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))
        typer.echo(f"wrote {output}", err=True)


def format_for(fmt: OutputFormat | None, output: Path | None) -> OutputFormat:
    """Return the asked format, else the one of ``output``'s extension, else table."""
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower() if output else ""
    return {".json": OutputFormat.JSON, ".csv": OutputFormat.CSV}.get(
        suffix, OutputFormat.TABLE
    )
