"""Diagram commands: ``templates``, ``new``, ``validate``, ``convert`` and ``schema``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fishbone.exceptions import DiagramInvalid, Problem
from fishbone.formats import read_diagram, write_diagram
from fishbone.formats.json_doc import json_schema
from fishbone.model import Diagram
from fishbone.templates import list_templates, load_template

__all__ = ["COMMANDS", "convert", "new", "schema", "templates", "validate"]

InFile = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, help="Diagram file (.json, .txt, .csv or .mmd)."
    ),
]
OutFile = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        dir_okay=False,
        help="Output file; its extension picks the format.",
    ),
]


def templates() -> None:
    """List the built-in templates and where each fits."""
    table = Table("name", "kind", "categories", "where it fits", show_lines=False)
    for template in list_templates():
        table.add_row(
            template.name,
            template.diagram.effect.kind.value,
            ", ".join(c.label for c in template.diagram.categories),
            template.description,
        )
    Console(width=160).print(table)


def new(
    output: OutFile,
    template: Annotated[
        str,
        typer.Option(
            "--template", "-t", help="Template name (see `fishbone templates`)."
        ),
    ] = "customer-experience",
    effect: Annotated[
        str | None, typer.Option(help="Effect label, instead of the template's.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Diagram title.")] = None,
) -> None:
    """Write a new diagram from a template."""
    diagram = load_template(template)
    if effect is not None:
        diagram.effect.label = effect
    if title is not None:
        diagram.title = title
    write_diagram(diagram, output)
    typer.echo(f"wrote {output} from template {template!r}")


def _summary(diagram: Diagram) -> str:
    return (
        f"{len(diagram.categories)} categories, {len(diagram.causes)} causes, "
        f"{len(diagram.links)} links; effect ({diagram.effect.kind.value}): "
        f"{diagram.effect.label!r}"
    )


def _report(path: Path, problems: list[Problem]) -> None:
    for problem in problems:
        typer.echo(f"{path}: {problem}", err=True)
    typer.echo(f"{path}: {len(problems)} problem(s)", err=True)
    raise typer.Exit(1)


def validate(path: InFile) -> None:
    """Check a diagram; print one line per problem and exit 1, or a summary and exit 0."""
    try:
        diagram = read_diagram(path)
    except DiagramInvalid as exc:
        _report(path, exc.problems)
    from fishbone.validation import find_problems

    problems = find_problems(diagram)
    if problems:
        _report(path, problems)
    typer.echo(f"{path}: valid: {_summary(diagram)}")


def convert(path: InFile, output: OutFile) -> None:
    """Convert a diagram between JSON, outline text, CSV and Mermaid ishikawa."""
    from fishbone.validation import find_problems

    diagram = read_diagram(path)
    problems = find_problems(diagram)
    if problems:
        _report(path, problems)
    write_diagram(diagram, output)
    typer.echo(f"wrote {output}: {_summary(diagram)}")


def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout."),
    ] = None,
) -> None:
    """Print the JSON Schema of the fishbone/1 document."""
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


COMMANDS = [templates, new, validate, convert, schema]
