"""``/datasets``: feedback datasets and their records; ingest by JSON array, NDJSON stream or CSV.

Ingest is idempotent on the record ``id``: sending it again updates the record
(the last send wins). Every response counts inserted, updated and rejected
rows and lists each reject with its row (and line) number and the reason.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Final

from anyio import from_thread
from fastapi import APIRouter, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from api.deps import IngestDep, ReadDep, SettingsDep, StoreDep
from api.errors import PayloadTooLarge, Unprocessable
from api.routes._http import ERRORS
from api.routes._ingest import Ingest, Kind, LineReader
from api.schemas import (
    DatasetCreate,
    DatasetOut,
    IngestReport,
    ProblemDetails,
    RecordIn,
    RecordOut,
)
from api.settings import Settings
from fishbone.feedback_sources import object_batches
from fishbone.store import DatasetInfo, Store

__all__ = ["router"]

router = APIRouter(prefix="/datasets", tags=["datasets"], responses=ERRORS)

_PROBLEM: Final = {"model": ProblemDetails, "content": {"application/problem+json": {}}}
_INGEST_ERRORS: Final = {
    **ERRORS,
    413: {
        **_PROBLEM,
        "description": "The body is over a size limit (named in detail).",
    },
}


def _out(info: DatasetInfo) -> DatasetOut:
    return DatasetOut(
        id=info.id,
        name=info.name,
        scale=info.scale,
        revision=info.revision,
        records=info.records,
        created_at=info.created_at,
        updated_at=info.updated_at,
    )


@router.get("")
def list_datasets(store: StoreDep, _who: ReadDep) -> list[DatasetOut]:
    """List every dataset with its record count."""
    return [_out(d) for d in store.list_datasets()]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={409: _PROBLEM | {"description": "The id is taken."}},
)
def create_dataset(
    body: DatasetCreate, store: StoreDep, who: IngestDep, response: Response
) -> DatasetOut:
    """Create an empty dataset (give ``scale`` so scores are checked and ranked on it)."""
    info = store.create_dataset(
        body.id, name=body.name or body.id, scale=body.scale, actor=who.name
    )
    response.headers["Location"] = f"/api/v1/datasets/{info.id}"
    return _out(info)


@router.get("/{dataset_id}")
def get_dataset(dataset_id: str, store: StoreDep, _who: ReadDep) -> DatasetOut:
    """Return one dataset."""
    return _out(store.get_dataset(dataset_id))


@router.delete("/{dataset_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_dataset(dataset_id: str, store: StoreDep, who: IngestDep) -> Response:
    """Delete a dataset with its records, matches and cached rankings."""
    store.delete_dataset(dataset_id, actor=who.name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{dataset_id}/records")
def list_records(
    dataset_id: str,
    store: StoreDep,
    _who: ReadDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> list[RecordOut]:
    """Page through a dataset's records in the order they were first stored."""
    return [
        RecordOut(id=r["ext_id"], **{k: v for k, v in r.items() if k != "ext_id"})
        for r in store.list_records(dataset_id, limit=limit, offset=offset)
    ]


def _ingest(
    store: Store,
    dataset_id: str,
    kind: Kind,
    settings: Settings,
    actor: str,
    date_format: str | None,
) -> Ingest:
    return Ingest.start(
        store,
        store.get_dataset(dataset_id),
        kind,
        settings,
        actor=actor,
        date_format=date_format,
    )


async def _next_chunk(chunks: AsyncIterator[bytes]) -> bytes | None:
    try:
        return await chunks.__anext__()
    except StopAsyncIteration:
        return None


def _pull(chunks: AsyncIterator[bytes]) -> Iterator[bytes]:
    """The chunks of an async body, read from a worker thread (each received on the event loop)."""
    while (chunk := from_thread.run(_next_chunk, chunks)) is not None:
        yield chunk


def _check_length(request: Request, limit: int, name: str) -> None:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise PayloadTooLarge(
            f"the body is {length} bytes, over the {limit}-byte limit ({name})",
            limit=limit,
        )


def _body(schema: dict[str, Any], media: str, example: Any) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {media: {"schema": schema, "example": example}},
        }
    }


_DATE_FORMAT: Final = Query(
    description="How to read numeric dates such as 03/04/2025: dmy, mdy, ymd or a strptime format. "
    "Without it, ISO 8601 and unambiguous dates are read and an ambiguous one rejects its row.",
    max_length=40,
)


@router.post(
    "/{dataset_id}/records",
    responses=_INGEST_ERRORS,
    openapi_extra=_body(
        {"type": "array", "items": RecordIn.model_json_schema()},
        "application/json",
        [
            {
                "id": "r-1",
                "text": "Refund took three weeks",
                "score": 3,
                "date": "2025-03-02",
            }
        ],
    ),
)
async def ingest_json(
    dataset_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    who: IngestDep,
    date_format: Annotated[str | None, _DATE_FORMAT] = None,
) -> IngestReport:
    """Ingest a JSON array of records (buffered: up to ``max_body_bytes``).

    The limit is enforced for every buffered route by ``api.app.BodyLimit``
    before this runs; stream larger uploads to ``records.ndjson``. Rejects name
    the record's position in the array (``row``).
    """
    run = await run_in_threadpool(
        _ingest, store, dataset_id, "json", settings, who.name, date_format
    )
    try:
        rows = json.loads(await request.body())
    except ValueError as exc:
        raise Unprocessable(f"the body is not JSON: {exc}") from None
    if not isinstance(rows, list):
        raise Unprocessable(
            "the body must be a JSON array of records; use records.ndjson for one record per line"
        )
    await run_in_threadpool(run.run, object_batches(rows, size=settings.ingest_batch))
    return await run_in_threadpool(run.result)


@router.post(
    "/{dataset_id}/records.ndjson",
    responses=_INGEST_ERRORS,
    openapi_extra=_body(
        {"type": "string", "description": "One JSON record (see RecordIn) per line."},
        "application/x-ndjson",
        '{"id": "r-1", "text": "Refund took three weeks", "score": 3}\n{"id": "r-2", "text": "Friendly staff", "score": 10}\n',
    ),
)
async def ingest_ndjson(
    dataset_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    who: IngestDep,
    date_format: Annotated[str | None, _DATE_FORMAT] = None,
) -> IngestReport:
    """Stream records, one JSON object per line; rows are stored while the upload goes on.

    Rejects name the line (``line``).
    """
    return await _stream(
        request, store, settings, who.name, dataset_id, "ndjson", date_format
    )


@router.post(
    "/{dataset_id}/records.csv",
    responses=_INGEST_ERRORS,
    openapi_extra=_body(
        {
            "type": "string",
            "description": "CSV with a header row: id, text (or comment), score, date, channel, segment, tags, causes.",
        },
        "text/csv",
        "id,comment,nps,date\nr-1,Refund took three weeks,3,2025-03-02\n",
    ),
)
async def ingest_csv(
    dataset_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    who: IngestDep,
    date_format: Annotated[str | None, _DATE_FORMAT] = None,
) -> IngestReport:
    """Upload CSV (raw ``text/csv`` body, streamed, or a multipart form with a ``file`` field).

    Columns are found by common names (``comment`` is text, ``nps`` is the
    score...); the delimiter is the header's most frequent of , ; tab |.
    Rejects name the line a record starts on (``line``).
    """
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        _check_length(request, settings.max_request_bytes, "max_request_bytes")
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise Unprocessable(
                    "the form has no file field; send the CSV as 'file'"
                )
            run = await run_in_threadpool(
                _ingest, store, dataset_id, "csv", settings, who.name, date_format
            )
            chunks = iter(lambda: upload.file.read(1 << 20), b"")
            await run_in_threadpool(
                run.run_lines, chunks, LineReader.under(settings), settings.ingest_batch
            )
            return await run_in_threadpool(run.result)
    return await _stream(
        request, store, settings, who.name, dataset_id, "csv", date_format
    )


async def _stream(
    request: Request,
    store: Store,
    settings: Settings,
    actor: str,
    dataset_id: str,
    kind: Kind,
    date_format: str | None,
) -> IngestReport:
    _check_length(request, settings.max_request_bytes, "max_request_bytes")
    run = await run_in_threadpool(
        _ingest, store, dataset_id, kind, settings, actor, date_format
    )
    await run_in_threadpool(
        run.run_lines,
        _pull(request.stream()),
        LineReader.under(settings),
        settings.ingest_batch,
    )
    return await run_in_threadpool(run.result)
