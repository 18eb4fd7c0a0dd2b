"""Feedback commands: ``match`` shows which comments each cause's signals catch, and which none do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fishbone.exceptions import FeedbackError

if TYPE_CHECKING:
    from fishbone.matching import MatchReport
    from fishbone.records import FeedbackTable

__all__ = ["COMMANDS", "match", "parse_tag_map"]

EXAMPLES = 3
QUOTE = 100


def parse_tag_map(value: str) -> dict[str, list[str]]:
    """Read ``--tag-map``: a JSON file (tag -> cause id or ids) or ``tag=cause;cause,tag2=cause``."""
    if value.endswith(".json") and Path(value).is_file():
        data = json.loads(Path(value).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise FeedbackError(
                f"tag map {value!r} must be a JSON object of tag -> cause id(s)"
            )
        return {
            str(k): [v] if isinstance(v, str) else [str(x) for x in v]
            for k, v in data.items()
        }
    from fishbone.feedback_columns import parse_mapping

    return {tag: causes.split(";") for tag, causes in parse_mapping(value).items()}


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return escape(flat if len(flat) <= QUOTE else flat[: QUOTE - 1] + "…")


def _print(
    console: Console,
    diagram_causes: dict[str, str],
    table: FeedbackTable,
    report: MatchReport,
) -> None:
    n = len(table)
    counts = report.mentions.counts()
    out = Table(
        "cause",
        "label",
        "matched",
        "share",
        "explicit",
        "signals",
        "learned",
        "examples",
        show_lines=True,
    )
    for j in sorted(range(len(counts)), key=lambda j: (-counts[j], j)):
        cid = report.mentions.cause_ids[j]
        examples = "\n".join(
            _quote(table.texts[i]) for i in report.examples(cid, EXAMPLES)
        )
        share = f"{counts[j] / n:.1%}" if n else "-"
        row = (
            cid,
            escape(diagram_causes[cid]),
            str(counts[j]),
            share,
            str(report.explicit[j]),
            str(report.signals[j]),
            str(report.learned[j]),
            examples,
        )
        out.add_row(*row)
    console.print(out)
    console.print(f"unmatched: {len(report.unmatched)} of {n} comments match no cause")
    for i in report.unmatched[: EXAMPLES * 2].tolist():
        console.print(f"  - {_quote(table.texts[i])}")
    if report.unknown_causes:
        unknown = ", ".join(
            f"{c!r} ({k})" for c, k in sorted(report.unknown_causes.items())
        )
        console.print(
            f"explicit cause ids the diagram lacks (ignored): {escape(unknown)}"
        )
    if report.quality is not None:
        console.print(f"learned matcher: {report.quality}")
    for note in report.notes:
        console.print(note)


def match(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="Diagram file whose causes carry signals."
        ),
    ],
    feedback: Annotated[
        Path,
        typer.Option(
            "--feedback",
            "-f",
            exists=True,
            dir_okay=False,
            help="Feedback data: .csv, .json (array) or .ndjson.",
        ),
    ],
    map_: Annotated[
        str | None,
        typer.Option(
            "--map",
            help="Column roles, e.g. text=comment,score=nps,rating:wait-time=wait_rating.",
        ),
    ] = None,
    tag_map: Annotated[
        str | None,
        typer.Option(
            "--tag-map",
            help="Tags to causes: a JSON file or tag=cause;cause,tag2=cause.",
        ),
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(
            "--scale",
            help="Score scale: nps, csat, ces, stars, binary or MIN-MAX (guessed if absent).",
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="File encoding when not UTF-8.")
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            "--date-format",
            help="Order of numeric dates: dmy, mdy, ymd or a strptime format.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Fail on the first bad row instead of skipping it."
        ),
    ] = False,
    learned: Annotated[
        bool,
        typer.Option(
            "--learned",
            help="Train on records with explicit causes and label the rest.",
        ),
    ] = False,
    threshold: Annotated[
        float,
        typer.Option("--threshold", help="Minimum confidence of the learned matcher."),
    ] = 0.5,
) -> None:
    """Show, per cause, how many comments its signals (and tags) match, with examples, and the unmatched."""
    console = Console(width=160)
    from api.cli.rank_io import read_feedback_file
    from fishbone.formats import read_diagram
    from fishbone.matching import match_report

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
    console.print(
        f"{escape(rep.source)}: {rep.rows_read} rows read, {rep.inserted} imported, {rep.skipped} skipped, {rep.duplicates} duplicates replaced"
    )
    console.print(
        "columns: "
        + escape(", ".join(f"{role} <- {col!r}" for role, col in rep.columns.items()))
    )
    if rep.scale is not None:
        console.print(f"scale: {rep.scale.name} ({escape(rep.scale_note)})")
    for rejection in rep.rejected[:10]:
        console.print(f"  {escape(str(rejection))}")
    if rep.skipped > 10:
        console.print(f"  ... and {rep.skipped - 10} more")
    report = match_report(
        diagram,
        result.table,
        tag_map=parse_tag_map(tag_map) if tag_map else None,
        learned=learned,
        threshold=threshold,
    )
    _print(console, {c.id: c.label for c in diagram.causes}, result.table, report)


COMMANDS = [match]
