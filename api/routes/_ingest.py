"""Feedback ingest: NDJSON streamed line by line, JSON arrays and CSV, in batches with per-row rejects.

Nothing here holds a whole upload in memory: NDJSON is consumed as it
arrives (only the current line is buffered, up to ``max_row_bytes``), CSV is
spooled to a temporary file and read line by line. Valid rows are written in
batches of ``ingest_batch``; invalid ones are counted and listed with their
row and line numbers.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Final

from starlette.concurrency import run_in_threadpool

from api.errors import PayloadTooLarge, Unprocessable
from api.routes._rows import RowRejected, RowValidator, column_map
from api.schemas import IngestReport, RejectOut
from fishbone.store import RecordRow, Store

__all__ = ["IngestRun", "Writer", "csv_rows", "ndjson_lines"]

_BOM: Final = b"\xef\xbb\xbf"


class Writer:
    """Writes batches in a worker thread while the next batch is parsed (one write at a time)."""

    def __init__(self, run: IngestRun) -> None:
        self.run = run
        self.task: asyncio.Future[None] | None = None

    async def submit(self) -> None:
        """Wait for the previous write, then start writing the pending batch."""
        await self.finish()
        batch = self.run.take()
        self.task = asyncio.ensure_future(run_in_threadpool(self.run.write, batch))

    async def finish(self) -> None:
        """Wait for the write under way, if any."""
        if self.task is not None:
            task, self.task = self.task, None
            await task


@dataclass(slots=True)
class IngestRun:
    """One ingest request: validates rows, writes batches, keeps the counts."""

    store: Store
    dataset: str
    validator: RowValidator
    actor: str
    batch: int
    max_rejects: int
    received: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    rejects: list[RejectOut] = field(default_factory=list)
    pending: list[RecordRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        """Whether a batch is ready to write."""
        return len(self.pending) >= self.batch

    def reject(
        self, row: int, line: int | None, reason: str, ext_id: object = None
    ) -> None:
        """Count a rejected row (and list it while under the limit)."""
        self.rejected += 1
        if len(self.rejects) < self.max_rejects:
            shown = None if ext_id is None else str(ext_id)[:200]
            self.rejects.append(RejectOut(row=row, line=line, id=shown, reason=reason))

    def add_json(self, row: int, line: int | None, raw: object) -> None:
        """Validate one decoded JSON value as a record."""
        self.received += 1
        try:
            self.pending.append(self.validator.from_json(raw))
        except RowRejected as exc:
            ext_id = raw.get("id") if isinstance(raw, dict) else None
            self.reject(row, line, str(exc), ext_id)

    def add_ndjson_line(self, row: int, line: int, data: bytes | None) -> None:
        """Decode and validate one NDJSON line (None: it was over the row limit)."""
        if data is None:
            self.received += 1
            self.reject(
                row,
                line,
                f"line is longer than the row limit of {self.validator.max_row_bytes} bytes (max_row_bytes)",
            )
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.received += 1
            self.reject(
                row,
                line,
                f"line is not UTF-8 (byte {data[exc.start]:#04x} at column {exc.start + 1}); send UTF-8",
            )
            return
        try:
            raw = json.loads(text)
        except ValueError as exc:
            self.received += 1
            self.reject(row, line, f"line is not JSON: {exc}")
            return
        self.add_json(row, line, raw)

    def take(self) -> list[RecordRow]:
        """Return the pending batch and start a new one."""
        batch, self.pending = self.pending, []
        return batch

    def write(self, batch: list[RecordRow]) -> None:
        """Write one batch in one transaction and count it."""
        if batch:
            counts = self.store.ingest(self.dataset, batch, actor=self.actor)
            self.inserted += counts.inserted
            self.updated += counts.updated

    def flush(self) -> None:
        """Write the pending batch now."""
        self.write(self.take())

    def report(self) -> IngestReport:
        """Return the response body (after the last flush)."""
        return IngestReport(
            dataset=self.dataset,
            received=self.received,
            inserted=self.inserted,
            updated=self.updated,
            rejected=self.rejected,
            rejects=self.rejects,
            rejects_truncated=self.rejected > len(self.rejects),
            ignored_columns=self.ignored_columns,
            revision=self.store.dataset_revision(self.dataset),
        )


async def ndjson_lines(
    chunks: AsyncIterator[bytes], *, max_row_bytes: int, max_total: int
) -> AsyncIterator[list[tuple[int, bytes | None]]]:
    """Yield, per chunk received, its complete non-blank lines as ``(line number, bytes)``.

    A line over ``max_row_bytes`` comes as ``None`` (and is never held whole);
    only the unfinished last line of a chunk is kept until the next one.

    Raises:
        PayloadTooLarge: once more than ``max_total`` bytes have arrived.
    """
    pending = b""
    too_long = False
    line = 0
    total = 0
    async for chunk in chunks:
        total += len(chunk)
        if total > max_total:
            raise PayloadTooLarge(
                f"the upload is over {max_total} bytes (max_request_bytes); split it",
                limit=max_total,
            )
        parts = (pending + chunk).split(b"\n") if pending else chunk.split(b"\n")
        pending = parts.pop()
        found: list[tuple[int, bytes | None]] = []
        for part in parts:
            line += 1
            if too_long or len(part) > max_row_bytes:
                too_long = False
                found.append((line, None))
            elif part.strip():
                found.append((line, part))
        if len(pending) > max_row_bytes:
            too_long, pending = True, b""
        if found:
            yield found
    if too_long or pending.strip():
        yield [
            (line + 1, None if too_long or len(pending) > max_row_bytes else pending)
        ]


def _physical_lines(
    source: IO[bytes], *, max_row_bytes: int, problems: dict[int, str]
) -> Iterator[str]:
    """Yield decoded lines; note lines that are too long or not UTF-8 in ``problems``."""
    number = 0
    while True:
        raw = source.readline(max_row_bytes + 1)
        if not raw:
            return
        number += 1
        if number == 1:
            raw = raw.removeprefix(_BOM)
        if len(raw) > max_row_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = source.readline(max_row_bytes + 1)
            problems[number] = (
                f"line is longer than the row limit of {max_row_bytes} bytes (max_row_bytes)"
            )
            yield "\n"
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems[number] = (
                f"line is not UTF-8 (byte {raw[exc.start]:#04x} at column {exc.start + 1}); save the file as UTF-8"
            )
            yield raw.decode("utf-8", "replace")


def csv_rows(run: IngestRun, source: IO[bytes], *, max_row_bytes: int) -> None:
    """Validate and store every CSV row of ``source`` (header first), batch by batch.

    Raises:
        Unprocessable: when the header is missing or names no id column.
    """
    problems: dict[int, str] = {}
    reader = csv.reader(
        _physical_lines(source, max_row_bytes=max_row_bytes, problems=problems)
    )
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header) or 1 in problems:
        raise Unprocessable(
            problems.get(1, "the CSV is empty; send a header row and records")
        )
    columns, run.ignored_columns = column_map(header)
    fields = set(columns.values())
    if "id" not in fields:
        raise Unprocessable(
            f"the CSV header {header!r} has no id column; add one (or a column named external_id)"
        )
    if not fields & {"text", "score", "causes"}:
        raise Unprocessable(
            "the CSV header has no text, score or causes column; add a text (comment) column"
        )
    _csv_records(run, reader, columns, problems)


def _csv_records(
    run: IngestRun,
    reader: Any,
    columns: dict[int, str],
    problems: dict[int, str],
) -> None:
    row = 0
    last = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row += 1
            run.received += 1
            run.reject(row, last + 1, f"the CSV is malformed here: {exc}")
            last = reader.line_num
            continue
        start, last = last + 1, reader.line_num
        found = [problems[n] for n in range(start, last + 1) if n in problems]
        if not found and not any(c.strip() for c in cells):
            continue
        row += 1
        run.received += 1
        if found:
            run.reject(row, start, found[0], cells[0] if cells else None)
            continue
        try:
            run.pending.append(run.validator.from_cells(cells, columns))
        except RowRejected as exc:
            id_col = next((i for i, f in columns.items() if f == "id"), 0)
            run.reject(
                row, start, str(exc), cells[id_col] if id_col < len(cells) else None
            )
        if run.full:
            run.flush()
    run.flush()
