"""The ``fishbone`` command: a thin Typer layer over the domain, one module per topic.

Every command turns a :class:`~fishbone.exceptions.FishboneError` into a clear
message on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer

from fishbone.exceptions import FishboneError

__all__ = ["app", "main"]

app = typer.Typer(
    help="Cause-and-effect (fishbone) diagrams, ranked by customer feedback.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Map domain errors to one clear message (one line per problem) and exit 1."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FishboneError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None

    return run


def _register() -> None:
    # Each topic module lists plain functions in COMMANDS; registering them here
    # keeps one place that names every command and wraps each the same way.
    from api.cli import (
        diagram_cmds,
        feedback_cmd,
        rank_cmd,
        render_cmd,
        serve_cmd,
        store_cmds,
    )

    for module in (
        diagram_cmds,
        feedback_cmd,
        rank_cmd,
        render_cmd,
        serve_cmd,
        store_cmds,
    ):
        for command in module.COMMANDS:
            name = command.__name__.rstrip("_").replace("_", "-")
            app.command(name)(_friendly(command))


_register()


def main() -> None:
    """Run the ``fishbone`` command."""
    app()
