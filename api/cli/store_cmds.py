"""Store commands: ``fishbone keys create|list|revoke`` and ``fishbone import``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, Final, Literal

import typer
from rich.console import Console
from rich.table import Table

from api.cli.rank_io import DateFormatOpt
from api.cli.serve_cmd import DbOption
from fishbone.exceptions import FormatError

if TYPE_CHECKING:
    from api.routes._ingest import Kind
    from api.schemas import IngestReport
    from api.settings import Settings
    from fishbone.store import DatasetInfo, Store

__all__ = ["COMMANDS", "import_", "keys"]


def _store(db: str | None) -> Store:
    # The store (SQLAlchemy, Alembic) loads only for the commands that use it.
    from api.settings import Settings
    from fishbone.store import Store

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
    from fishbone.store import NotFound

    try:
        key = store.revoke_key(key_id, actor="cli")
    except NotFound as exc:
        raise typer.BadParameter(str(exc), param_hint="KEY_ID") from None
    typer.echo(f"revoked key {key.id} ({key.name})")


def import_(
    data: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="Feedback file: .csv, .ndjson/.jsonl or .json (an array).",
        ),
    ],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset id.")],
    scale: Annotated[
        str | None,
        typer.Option(
            help="Score scale when the dataset is new: nps, csat, ces, stars, binary or MIN-MAX."
        ),
    ] = None,
    date_format: DateFormatOpt = None,
    db: DbOption = None,
) -> None:
    """Import feedback into a stored dataset (created when missing), exactly as the API ingests it.

    Re-importing updates records with the same id; bad rows are listed with
    their line numbers and nothing of them is stored.
    """
    from api.settings import Settings
    from fishbone.store import NotFound

    kind = _KINDS.get(data.suffix.lower())
    if kind is None:
        raise FormatError(
            f"unknown feedback extension {data.suffix!r}; use .csv, .ndjson, .jsonl or .json",
            source=str(data),
        )
    store = _store(db)
    try:
        try:
            info = store.get_dataset(dataset)
        except NotFound:
            info = store.create_dataset(dataset, name=dataset, scale=scale, actor="cli")
        report = _import_file(store, data, info, kind, Settings(), date_format)
    finally:
        store.close()
    typer.echo(
        f"{dataset}: {report.inserted} inserted, {report.updated} updated, "
        f"{report.rejected} rejected (of {report.received})"
    )
    for reject in report.rejects[:20]:
        where = f"line {reject.line}" if reject.line else f"record {reject.row}"
        typer.echo(f"{data}: {where}: {reject.reason}", err=True)
    if report.rejected:
        raise typer.Exit(1)


_KINDS: Final[dict[str, Kind]] = {
    ".csv": "csv",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".json": "json",
}


def _import_file(
    store: Store,
    path: Path,
    dataset: DatasetInfo,
    kind: Kind,
    settings: Settings,
    date_format: str | None,
) -> IngestReport:
    """Read ``path`` into ``dataset`` as the API would, with a progress bar on a terminal."""
    from api.cli.progress import reading_progress
    from api.routes._ingest import Ingest, LineReader
    from fishbone.feedback_sources import object_batches

    run = Ingest.start(
        store, dataset, kind, settings, actor="cli", date_format=date_format
    )
    with path.open("rb") as source, reading_progress(path) as progress:
        if kind == "json":
            try:
                rows = json.load(source)
            except ValueError as exc:
                raise FormatError(f"not JSON: {exc}", source=str(path)) from None
            if not isinstance(rows, list):
                raise FormatError("expected a JSON array of records", source=str(path))
            run.run(object_batches(rows, size=settings.ingest_batch))
        else:
            reader = LineReader.under(settings, max_total=path.stat().st_size + 1)
            run.run_lines(_chunks(source, progress), reader, settings.ingest_batch)
    return run.result()


def _chunks(
    source: BinaryIO, progress: Callable[[int, int], None] | None
) -> Iterator[bytes]:
    total = os.fstat(source.fileno()).st_size
    done = 0
    while chunk := source.read(1 << 20):
        done += len(chunk)
        if progress is not None:
            progress(done, total)
        yield chunk


COMMANDS = [keys, import_]
