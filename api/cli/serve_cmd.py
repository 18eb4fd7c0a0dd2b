"""``fishbone serve``: run the HTTP API and browser UI with uvicorn."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

__all__ = ["COMMANDS", "serve"]

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="FISHBONE_DATABASE_URL",
        help="Database URL: sqlite:///fishbone.db (default) or postgresql+psycopg://user@host/db.",
    ),
]


def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    db: DbOption = None,
    demo: Annotated[
        bool, typer.Option(help="Seed a demo diagram and feedback.")
    ] = False,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="Allow anonymous access (loopback only).")
    ] = False,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs).

    Off loopback the server needs API keys (`fishbone keys create`) and refuses
    --no-auth; on loopback --no-auth lets anyone on this machine in.
    """
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = Settings(host=host, port=port, demo=demo, no_auth=no_auth)
    if db:
        settings = settings.model_copy(update={"database_url": db})
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)


COMMANDS = [serve]
