"""The ``fishbone`` command: a thin Typer layer over the domain, one module per topic.

Every command turns a :class:`~fishbone.exceptions.FishboneError` into a clear
message on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

from typing import Any

import click
import typer
from typer.core import TyperGroup

from fishbone.exceptions import FishboneError

__all__ = ["app", "main"]


class _Group(TyperGroup):
    """Maps domain errors to one clear line (or one line per problem) and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FishboneError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    help="Cause-and-effect (fishbone) diagrams, ranked by customer feedback.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each topic module defines plain functions; registering them here keeps one
    # place that lists every command (and keeps modules free of a shared global).
    from api.cli import diagram_cmds, serve_cmd

    for command in diagram_cmds.COMMANDS + serve_cmd.COMMANDS:
        app.command(command.__name__.rstrip("_").replace("_", "-"))(command)


_register()


def main() -> None:
    """Run the ``fishbone`` command."""
    app()
