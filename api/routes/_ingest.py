r"""Feedback ingest over HTTP: bytes in, :mod:`fishbone.feedback`'s columnar reader, the store.

The API reads feedback exactly as ``fishbone rank`` reads a file (same column
names, value checks and messages), with the rules a shared store needs: every
record has an id, scores are checked against the dataset's scale (never guessed
per request), and an ambiguous date rejects its row rather than the upload.

Uploads are never held whole: :class:`LineReader` turns the body's chunks into
text lines as they arrive, rejecting a line that is over ``max_row_bytes``
(without keeping it) or not UTF-8, and :class:`Ingest` stores each batch of
``ingest_batch`` records in one transaction while the rest streams in.

Examples:
    >>> reader = LineReader(max_row_bytes=20, max_total=1000)
    >>> list(reader.lines([b'{"id": 1}\n{"id":', b" 2}\n\xff\n" + b"x" * 30]))
    ['{"id": 1}\n', '{"id": 2}\n', '\n', '\n']
    >>> reader.rejects
    [(3, 'line is not UTF-8 (byte 0xff at column 1); send UTF-8'), (4, 'line is longer than the row limit of 20 bytes (max_row_bytes)')]
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final, Literal

from api.errors import PayloadTooLarge, Unprocessable
from api.schemas import IngestReport, RejectOut
from api.settings import Settings
from fishbone.feedback import ImportReport, RowRules, convert_batches
from fishbone.feedback_sources import Batch, csv_batches, ndjson_batches
from fishbone.store import DatasetInfo, Store

__all__ = ["RULES", "Ingest", "Kind", "LineReader"]

_BOM: Final = b"\xef\xbb\xbf"
RULES: Final = RowRules(
    require_ids=True, guess_scale=False, reject_ambiguous_dates=True
)
"""What a shared store demands of a row (see the module's text)."""
Kind = Literal["json", "ndjson", "csv"]


@dataclass(slots=True)
class LineReader:
    """Splits a byte stream into UTF-8 text lines, rejecting overlong and undecodable ones.

    A rejected line is replaced by a blank one, so later line numbers stay true;
    ``rejects`` lists ``(line, reason)`` (the first ``keep`` of them) and ``count``
    counts them all.

    Raises:
        PayloadTooLarge: once more than ``max_total`` bytes have arrived.
    """

    max_row_bytes: int
    max_total: int
    keep: int = 1000
    rejects: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0
    last: tuple[int, str] | None = None
    _line: int = 0

    @classmethod
    def under(cls, settings: Settings, *, max_total: int | None = None) -> LineReader:
        """Return a reader with the server's row and upload limits (or another total)."""
        return cls(
            max_row_bytes=settings.max_row_bytes,
            max_total=settings.max_request_bytes if max_total is None else max_total,
            keep=settings.max_rejects,
        )

    def lines(self, chunks: Iterable[bytes]) -> Iterator[str]:
        """Yield the complete lines of ``chunks`` (each ending in a newline), as they arrive."""
        pending = b""
        skipping = False  # inside a line already over the limit
        total = 0
        first = True
        for chunk in chunks:
            total += len(chunk)
            if total > self.max_total:
                raise PayloadTooLarge(
                    f"the upload is over {self.max_total} bytes (max_request_bytes); split it",
                    limit=self.max_total,
                )
            data = pending + chunk if pending else chunk
            if first and data:
                if len(data) < len(_BOM) and _BOM.startswith(data):
                    pending = data
                    continue
                data, first = data.removeprefix(_BOM), False
            end = data.rfind(b"\n")
            if end < 0:
                pending = data
                if len(pending) > self.max_row_bytes:
                    skipping, pending = True, b""
                continue
            block, pending = data[: end + 1], data[end + 1 :]
            yield from self._block(block, skipping)
            skipping = len(pending) > self.max_row_bytes
            if skipping:
                pending = b""
        if skipping or pending:
            yield from self._block(pending + b"\n", skipping)

    def _block(self, block: bytes, skipping: bool) -> Iterator[str]:
        """Yield the lines of ``block`` (complete lines); ``skipping``: its first is overlong."""
        if not skipping and len(block) <= self.max_row_bytes:
            try:
                text = block.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                lines = text.split("\n")[:-1]
                self._line += len(lines)
                yield from [line + "\n" for line in lines]
                return
        for k, raw in enumerate(block.split(b"\n")[:-1]):
            self._line += 1
            if (skipping and k == 0) or len(raw) > self.max_row_bytes:
                self._reject(
                    f"line is longer than the row limit of {self.max_row_bytes} bytes (max_row_bytes)"
                )
                yield "\n"
                continue
            try:
                yield raw.decode("utf-8") + "\n"
            except UnicodeDecodeError as exc:
                self._reject(
                    f"line is not UTF-8 (byte {raw[exc.start]:#04x} at column {exc.start + 1}); send UTF-8"
                )
                yield "\n"

    def _reject(self, reason: str) -> None:
        self.count += 1
        self.last = (self._line, reason)
        if len(self.rejects) < self.keep:
            self.rejects.append((self._line, reason))


@dataclass(slots=True)
class Ingest:
    """One upload into one dataset: converts batches, stores them, keeps the counts.

    Args:
        store: where records go.
        dataset: the dataset id.
        scale: the dataset's scale (None: scores are only checked to be numbers).
        actor: who sends, for the audit log.
        kind: ``json`` (an array: rejects name the record's position), ``ndjson`` or ``csv``
            (rejects name the line).
        max_rejects: how many rejects the report lists.
        date_format: ``dmy``, ``mdy``, ``ymd`` or a strptime format for numeric dates.
        max_text: longest text in characters (JSON arrays; lines are limited in bytes).
    """

    store: Store
    dataset: str
    scale: str | None
    actor: str
    kind: Kind
    max_rejects: int
    date_format: str | None = None
    max_text: int | None = None
    inserted: int = 0
    report: ImportReport = field(default_factory=ImportReport)
    rejects: list[tuple[int, str]] = field(default_factory=list)
    rejected: int = 0
    """Records rejected, lines the reader refused (too long, not UTF-8) included."""

    @classmethod
    def start(
        cls,
        store: Store,
        dataset: DatasetInfo,
        kind: Kind,
        settings: Settings,
        *,
        actor: str,
        date_format: str | None,
    ) -> Ingest:
        """Return an upload into ``dataset`` under the server's limits."""
        return cls(
            store=store,
            dataset=dataset.id,
            scale=dataset.scale,
            actor=actor,
            kind=kind,
            max_rejects=settings.max_rejects,
            date_format=date_format,
            max_text=settings.max_row_bytes,
        )

    def run(self, batches: Iterable[Batch]) -> None:
        """Convert and store every batch, one transaction each.

        Raises:
            Unprocessable: when a CSV header has no id column.
            FeedbackError: when the rows have no text, score or causes column at all.
        """
        self.report.source, self.report.format = "the upload", self.kind
        rules = dataclasses.replace(RULES, max_text=self.max_text)
        tables = convert_batches(
            batches,
            report=self.report,
            scale=self.scale,
            date_format=self.date_format,
            rules=rules,
        )
        for table in tables:
            if self.kind == "csv" and "id" not in self.report.columns:
                raise Unprocessable(
                    "the CSV header has no id column; add one named id (or external_id, record_id, ticket_id...)"
                )
            self._take_rejects()
            if len(table):
                self.inserted += self.store.ingest_table(
                    self.dataset, table, actor=self.actor
                ).inserted

    def run_lines(self, chunks: Iterable[bytes], reader: LineReader, size: int) -> None:
        """Read NDJSON or CSV from the body's chunks and store it (see :meth:`run`).

        Raises:
            Unprocessable: for an empty CSV, or a CSV header that is not UTF-8 or too long.
            PayloadTooLarge: from ``reader``.
        """
        lines = reader.lines(chunks)
        if self.kind == "csv":
            lines = _csv_header_checked(lines, reader)
            batches = csv_batches(lines, source=self.report.source, size=size)
        else:
            batches = ndjson_batches(lines, source=self.report.source, size=size)
        self.run(batches)
        self.report.rows_read += reader.count  # refused lines were records too
        self.rejected += reader.count
        self.rejects = list(heapq.merge(self.rejects, reader.rejects))
        if self.kind == "csv" and not self.report.columns:
            raise Unprocessable("the CSV is empty; send a header row and records")

    def _take_rejects(self) -> None:
        found = self.report.rejected
        self.rejected += len(found)
        room = self.max_rejects - len(self.rejects)
        self.rejects += [(r.line, r.reason) for r in found[:room]]
        found.clear()

    def result(self) -> IngestReport:
        """Return the response body, with the dataset's revision after the last batch."""
        received = self.report.rows_read
        shown = self.rejects[: self.max_rejects]
        return IngestReport(
            dataset=self.dataset,
            received=received,
            inserted=self.inserted,
            updated=received - self.rejected - self.inserted,
            rejected=self.rejected,
            rejects=[
                RejectOut(row=n, reason=why)
                if self.kind == "json"
                else RejectOut(line=n, reason=why)
                for n, why in shown
            ],
            rejects_truncated=self.rejected > len(shown),
            ignored_columns=self.report.ignored_columns,
            revision=self.store.dataset_revision(self.dataset),
        )


def _csv_header_checked(lines: Iterator[str], reader: LineReader) -> Iterator[str]:
    """Pass ``lines`` on, refusing the upload when its header line was rejected.

    Raises:
        Unprocessable: naming the header's problem.
    """
    for line in lines:
        if reader.last:
            raise Unprocessable(
                f"the CSV header (line {reader.last[0]}) {reader.last[1]}"
            )
        yield line
        if line.strip():
            break
    yield from lines
