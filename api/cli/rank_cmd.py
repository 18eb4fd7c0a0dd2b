"""Ranking commands: ``rank`` (table, JSON or CSV), ``chart pareto`` and ``trend``."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.cli.rank_io import (
    DateFormatOpt,
    EncodingOpt,
    FeedbackOpt,
    HalfLifeOpt,
    Level,
    LevelOpt,
    MapOpt,
    Method,
    OutputFormat,
    ScaleOpt,
    StrictOpt,
    TagMapOpt,
    emit,
    format_for,
    load,
    rows_to_csv,
    write_atomic,
)
from fishbone.exceptions import FeedbackError, FormatError, RenderError

if TYPE_CHECKING:
    from fishbone.ranking import RankedCause
    from fishbone.records import FeedbackTable
    from fishbone.trends import CauseTrend

__all__ = ["COMMANDS", "ChartKind", "chart", "rank_", "trend_"]

QUOTE = 80


class ChartKind(StrEnum):
    """Charts of a ranking."""

    PARETO = "pareto"


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return escape(flat if len(flat) <= QUOTE else flat[: QUOTE - 1] + "\u2026")


def _interval(value: float | None, ci: tuple[float, float] | None, fmt: str) -> str:
    if value is None:
        return "-"
    text = format(value, fmt)
    return (
        text if ci is None else f"{text} [{format(ci[0], fmt)}, {format(ci[1], fmt)}]"
    )


def _table(rows: Sequence[RankedCause], method: str) -> Table:
    extra = {
        "pareto": ["cumulative", "vital"],
        "impact": ["impact", "n scored"],
        "drivers": ["importance", "+/-"],
    }[method]
    out = Table("#", "cause", "label", "n", "share", *extra, "quote", show_lines=True)
    for r in rows:
        cells = {
            "pareto": [
                _interval(r.cumulative, None, ".0%"),
                "yes" if r.vital else "",
            ],
            "impact": [
                _interval(r.impact, r.impact_ci, ".2f")
                + (" (small n)" if r.small_n else ""),
                str(r.n_scored),
            ],
            "drivers": [
                _interval(r.importance, None, ".1%"),
                {1: "+", -1: "-"}.get(r.direction or 0, ""),
            ],
        }[method]
        out.add_row(
            str(r.rank),
            escape(r.cause),
            escape(r.label),
            str(r.n),
            _interval(r.share, r.share_ci, ".1%"),
            *cells,
            _quote(r.quotes[0]) if r.quotes else "",
        )
    return out


def _footer(rows: Sequence[RankedCause], table: FeedbackTable, method: str) -> str:
    """Return the line under the table: records, method and what its numbers mean."""
    text = f"{len(table)} comments, method {method}"
    if method == "impact" and table.scale is not None and table.scale.is_nps:
        text += " (impact in NPS points)"
    if method == "drivers" and rows:
        text += f" ({rows[0].importance_method}, R\u00b2 = {rows[0].r2 or 0.0:.3f})"
    return text


def rank_(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help="Diagram file."),
    ],
    feedback: FeedbackOpt,
    method: Annotated[
        Method, typer.Option("--method", "-m", help="Ranking method.")
    ] = Method.PARETO,
    format_: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format", help="table, json or csv (default: from -o, else table)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write to this file."),
    ] = None,
    level: LevelOpt = Level.CAUSES,
    half_life: HalfLifeOpt = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Date ages are measured from (default: latest)."),
    ] = None,
    vital_share: Annotated[
        float,
        typer.Option("--vital-share", min=0.01, max=1.0, help="Pareto's vital few."),
    ] = 0.8,
    quotes: Annotated[
        int, typer.Option("--quotes", min=0, help="Quotes per cause.")
    ] = 3,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
    map_: MapOpt = None,
    tag_map: TagMapOpt = None,
    scale: ScaleOpt = None,
    encoding: EncodingOpt = None,
    date_format: DateFormatOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Rank a diagram's causes by customer feedback: pareto, impact or drivers."""
    from fishbone.ranking import rank

    diagram, table, mentions = load(
        file,
        feedback,
        map_=map_,
        tag_map=tag_map,
        scale=scale,
        encoding=encoding,
        date_format=date_format,
        strict=strict,
    )
    rows = rank(
        diagram,
        table,
        method=method.value,
        mentions=mentions,
        level=level.value,
        half_life_days=half_life,
        now=now,
        vital_share=vital_share,
        quotes=quotes,
        seed=seed,
    )
    fmt = format_for(format_, output)
    if fmt is OutputFormat.JSON:
        data = [r.as_row() for r in rows]
        emit(
            json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
            output,
        )
    elif fmt is OutputFormat.CSV:
        emit(rows_to_csv([r.as_row() for r in rows]), output)
    else:
        console = Console(
            width=160, record=output is not None, file=io.StringIO() if output else None
        )
        console.print(_table(rows, method.value))
        console.print(_footer(rows, table, method.value))
        if output is not None:
            emit(console.export_text(), output)


def _read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"cannot read the ranking: {exc}", source=str(path)) from None
    if isinstance(data, dict) and isinstance(data.get("ranking"), list):
        data = data["ranking"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FormatError(
            "expected a list of ranking rows (as `fishbone rank --format json` writes)",
            source=str(path),
        )
    return data


def chart(
    kind: Annotated[ChartKind, typer.Argument(help="The chart: pareto.")],
    file: Annotated[
        Path | None,
        typer.Argument(
            exists=True, dir_okay=False, help="Diagram file (with --feedback)."
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", dir_okay=False, help="Output: .svg, .png, .pdf or .dot."
        ),
    ] = Path("pareto.svg"),
    feedback: Annotated[
        Path | None,
        typer.Option(
            "--feedback",
            "-f",
            exists=True,
            dir_okay=False,
            help="Feedback data to rank.",
        ),
    ] = None,
    ranking: Annotated[
        Path | None,
        typer.Option(
            "--ranking",
            exists=True,
            dir_okay=False,
            help="Ranking JSON instead of FILE and --feedback.",
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Most bars drawn.")] = 15,
    title: Annotated[str | None, typer.Option("--title", help="Chart title.")] = None,
    level: LevelOpt = Level.CAUSES,
    half_life: HalfLifeOpt = None,
    vital_share: Annotated[
        float, typer.Option("--vital-share", min=0.01, max=1.0, help="The mark line.")
    ] = 0.8,
    map_: MapOpt = None,
    tag_map: TagMapOpt = None,
    scale: ScaleOpt = None,
    encoding: EncodingOpt = None,
    date_format: DateFormatOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Draw a Pareto chart of a ranking as SVG, PNG, PDF or DOT."""
    from diagrams.charts import CHART_FORMATS, render_pareto
    from fishbone.ranking import rank

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise RenderError(
            f"cannot tell the format of {str(output)!r}; end it in .svg, .png, .pdf or .dot"
        )
    rows: list[Any]
    if ranking is not None:
        rows, name = _read_rows(ranking), ranking.stem
    elif file is not None and feedback is not None:
        diagram, table, mentions = load(
            file,
            feedback,
            map_=map_,
            tag_map=tag_map,
            scale=scale,
            encoding=encoding,
            date_format=date_format,
            strict=strict,
        )
        rows = rank(
            diagram,
            table,
            mentions=mentions,
            level=level.value,
            half_life_days=half_life,
            vital_share=vital_share,
            quotes=0,
        )
        name = diagram.title or diagram.effect.label
    else:
        raise FeedbackError(
            "give a diagram FILE with --feedback DATA, or --ranking RANKING.json"
        )
    data = render_pareto(
        rows,
        fmt,
        top=top,
        vital_share=vital_share,
        title=title if title is not None else name,
    )
    write_atomic(output, data)
    typer.echo(f"wrote {output} ({fmt}, {min(top, len(rows))} bars)", err=True)


def _trend_table(rows: Sequence[CauseTrend]) -> Table:
    out = Table("cause", "label", "before", "now", "change", "q", "flag")
    for r in rows:
        flag = "rising" if r.rising else "falling" if r.falling else ""
        out.add_row(
            escape(r.cause),
            escape(r.label),
            f"{r.share_before:.1%} ({r.n_before})",
            f"{r.share_now:.1%} ({r.n_now})",
            f"{r.change:+.1%}",
            f"{r.q:.3g}",
            flag,
        )
    return out


def trend_(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Diagram file.")
    ],
    feedback: FeedbackOpt,
    since: Annotated[
        str | None, typer.Option("--since", help="First day of the current period.")
    ] = None,
    period_days: Annotated[
        int, typer.Option("--period-days", min=1, help="Current period length.")
    ] = 30,
    alpha: Annotated[
        float,
        typer.Option("--alpha", min=0.0001, max=0.5, help="False discovery rate."),
    ] = 0.05,
    format_: Annotated[
        OutputFormat | None, typer.Option("--format", help="table, json or csv.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write to this file."),
    ] = None,
    level: LevelOpt = Level.CAUSES,
    map_: MapOpt = None,
    tag_map: TagMapOpt = None,
    encoding: EncodingOpt = None,
    date_format: DateFormatOpt = None,
) -> None:
    """Compare each cause's share this period with before; flag rising causes (BH-adjusted)."""
    from fishbone.trends import trend

    diagram, table, mentions = load(
        file,
        feedback,
        map_=map_,
        tag_map=tag_map,
        scale=None,
        encoding=encoding,
        date_format=date_format,
        strict=False,
    )
    rows = trend(
        diagram,
        table,
        mentions=mentions,
        since=since,
        period_days=period_days,
        alpha=alpha,
        level=level.value,
    )
    fmt = format_for(format_, output)
    if fmt is OutputFormat.JSON:
        emit(
            json.dumps([r.as_row() for r in rows], ensure_ascii=False, indent=2) + "\n",
            output,
        )
    elif fmt is OutputFormat.CSV:
        emit(rows_to_csv([r.as_row() for r in rows]), output)
    else:
        console = Console(
            width=160, record=output is not None, file=io.StringIO() if output else None
        )
        console.print(_trend_table(rows))
        if output is not None:
            emit(console.export_text(), output)


COMMANDS = [rank_, chart, trend_]
