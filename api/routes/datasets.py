"""``/datasets``: feedback datasets and their records; ingest by JSON array, NDJSON stream or CSV.

Ingest is idempotent on the record ``id``: sending it again updates the record
(the last send wins). Every response counts inserted, updated and rejected
rows and lists each reject with its row (and line) number and the reason.
"""

from __future__ import annotations

import json
import tempfile
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from api.deps import IngestDep, ReadDep, SettingsDep, StoreDep
from api.errors import PayloadTooLarge, Unprocessable
from api.routes._http import ERRORS
from api.routes._ingest import IngestRun, Writer, csv_rows, ndjson_lines
from api.routes._rows import RowValidator
from api.schemas import (
    DatasetCreate,
    DatasetOut,
    IngestReport,
    ProblemDetails,
    RecordIn,
    RecordOut,
)
from api.settings import Settings
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
_SPOOL: Final = 8 * 1024 * 1024


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


def _run(store: Store, settings: Settings, dataset_id: str, actor: str) -> IngestRun:
    info = store.get_dataset(dataset_id)
    return IngestRun(
        store=store,
        dataset=dataset_id,
        validator=RowValidator(scale=info.scale, max_row_bytes=settings.max_row_bytes),
        actor=actor,
        batch=settings.ingest_batch,
        max_rejects=settings.max_rejects,
    )


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
) -> IngestReport:
    """Ingest a JSON array of records (buffered: up to ``max_body_bytes``).

    The limit is enforced for every buffered route by ``api.app.BodyLimit``
    before this runs; stream larger uploads to ``records.ndjson``.
    """
    run = await run_in_threadpool(_run, store, settings, dataset_id, who.name)
    try:
        rows = json.loads(await request.body())
    except ValueError as exc:
        raise Unprocessable(f"the body is not JSON: {exc}") from None
    if not isinstance(rows, list):
        raise Unprocessable(
            "the body must be a JSON array of records; use records.ndjson for one record per line"
        )
    for i, raw in enumerate(rows, start=1):
        run.add_json(i, None, raw)
        if run.full:
            await run_in_threadpool(run.flush)
    await run_in_threadpool(run.flush)
    return await run_in_threadpool(run.report)


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
) -> IngestReport:
    """Stream records, one JSON object per line; rows are stored while the upload goes on."""
    _check_length(request, settings.max_request_bytes, "max_request_bytes")
    run = await run_in_threadpool(_run, store, settings, dataset_id, who.name)
    writer = Writer(run)
    row = 0
    lines = ndjson_lines(
        request.stream(),
        max_row_bytes=settings.max_row_bytes,
        max_total=settings.max_request_bytes,
    )
    async for batch in lines:
        for line, data in batch:
            row += 1
            run.add_ndjson_line(row, line, data)
            if run.full:
                await writer.submit()
    await writer.submit()
    await writer.finish()
    return await run_in_threadpool(run.report)


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
) -> IngestReport:
    """Upload CSV (raw ``text/csv`` body, or a multipart form with a ``file`` field)."""
    _check_length(request, settings.max_request_bytes, "max_request_bytes")
    run = await run_in_threadpool(_run, store, settings, dataset_id, who.name)
    with tempfile.SpooledTemporaryFile(_SPOOL) as spool:
        await _spool(request, spool, settings.max_request_bytes)
        spool.seek(0)
        await run_in_threadpool(
            csv_rows, run, spool, max_row_bytes=settings.max_row_bytes
        )
    return await run_in_threadpool(run.report)


async def _spool(request: Request, spool: Any, limit: int) -> None:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise Unprocessable(
                    "the form has no file field; send the CSV as 'file'"
                )
            while chunk := await upload.read(1 << 20):
                spool.write(chunk)
        return
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise PayloadTooLarge(
                f"the upload is over {limit} bytes (max_request_bytes); split it",
                limit=limit,
            )
        spool.write(chunk)
