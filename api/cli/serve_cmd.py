"""``fishbone serve``: run the HTTP API and browser UI with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from api.app import create_app
from api.settings import Settings

__all__ = ["COMMANDS", "serve"]


def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="FISHBONE_DATABASE_URL",
            help="Database URL (default: sqlite:///fishbone.db).",
        ),
    ] = None,
    demo: Annotated[
        bool, typer.Option(help="Seed a demo diagram and feedback.")
    ] = False,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="Allow anonymous access (loopback only).")
    ] = False,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    settings = Settings(host=host, port=port, demo=demo, no_auth=no_auth)
    if db:
        settings = settings.model_copy(update={"database_url": db})
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


COMMANDS = [serve]
