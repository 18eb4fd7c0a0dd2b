"""Store commands: ``fishbone keys create|list|revoke``."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from api.cli.serve_cmd import DbOption
from api.settings import Settings
from fishbone.store import NotFound, Store

__all__ = ["COMMANDS", "keys"]


def _store(db: str | None) -> Store:
    return Store(db or Settings().database_url)


def keys(
    action: Annotated[
        Literal["create", "list", "revoke"],
        typer.Argument(help="create a key, list keys, or revoke KEY_ID."),
    ],
    key_id: Annotated[
        str | None, typer.Argument(help="The key to revoke (from `keys list`).")
    ] = None,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope", "-s", help="read, edit, ingest or admin (repeat for several)."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", "-n", help="What the key is for.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Manage API keys: `keys create --scope ingest --name nightly-survey`, `keys list`, `keys revoke ID`.

    A new key's token is printed once; only its sha256 is stored.
    """
    store = _store(db)
    try:
        if action == "create":
            _create(store, scope or [], name)
        elif action == "list":
            _list(store)
        else:
            _revoke(store, key_id)
    finally:
        store.close()


def _create(store: Store, scopes: list[str], name: str | None) -> None:
    if not name:
        raise typer.BadParameter("give the key a --name", param_hint="--name")
    try:
        key, token = store.create_key(name=name, scopes=scopes, actor="cli")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope") from None
    typer.echo(f"created key {key.id} ({key.name}, scopes {','.join(key.scopes)})")
    typer.echo("token (shown once; store it now):", err=True)
    typer.echo(token)


def _list(store: Store) -> None:
    table = Table("id", "name", "scopes", "prefix", "created", "state")
    for key in store.list_keys():
        state = "active" if key.active else f"revoked {key.revoked_at:%Y-%m-%d}"
        table.add_row(
            key.id,
            key.name,
            ",".join(key.scopes),
            key.prefix,
            f"{key.created_at:%Y-%m-%d %H:%M}",
            state,
        )
    Console(width=140).print(table)


def _revoke(store: Store, key_id: str | None) -> None:
    if not key_id:
        raise typer.BadParameter("name the key to revoke", param_hint="KEY_ID")
    try:
        key = store.revoke_key(key_id, actor="cli")
    except NotFound as exc:
        raise typer.BadParameter(str(exc), param_hint="KEY_ID") from None
    typer.echo(f"revoked key {key.id} ({key.name})")


COMMANDS = [keys]
