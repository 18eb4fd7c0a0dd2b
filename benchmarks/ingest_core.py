"""What an ingested row costs without HTTP: the API's reader, then ``Store.ingest_table`` on SQLite.

    uv run python -m benchmarks.ingest_core [--rows 50000] [--batch 65536] [--runs 5]

First the reader the NDJSON route runs (``LineReader`` over 64 KiB chunks,
``ndjson_batches``, ``convert_batches`` with the API's rules) turns the body into
columnar tables. Then, on a fresh SQLite database per run, ``Store.ingest_table``
stores the same records in batches of ``--batch`` rows: once on new ids
(inserts), once more with the same ids (updates). ``Store.ingest`` on row dicts
is timed too, for comparison. Prints the median over runs in microseconds per row.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import numpy as np

from api.routes._ingest import RULES, LineReader
from fishbone.feedback import ImportReport, convert_batches
from fishbone.feedback_sources import ndjson_batches
from fishbone.records import FeedbackTable
from fishbone.store import RecordRow, Store


def table(n: int) -> FeedbackTable:
    return FeedbackTable(
        ids=[f"r{i}" for i in range(n)],
        texts=["refund took weeks and the app crashed"] * n,
        scores=np.arange(n, dtype=np.float64) % 11,
        dates=np.full(n, np.datetime64("2026-10-01"), "datetime64[D]"),
        channels=["email"] * n,
    )


def rows(t: FeedbackTable) -> list[RecordRow]:
    return [
        RecordRow(
            ext_id=i,
            text=text,
            score=score,
            date="2026-10-01",
            channel="email",
            segment=None,
            tags=[],
            causes=[],
            ratings=None,
        )
        for i, text, score in zip(t.ids, t.texts, t.scores.tolist(), strict=True)
    ]


def part(t: FeedbackTable, start: int, stop: int) -> FeedbackTable:
    return FeedbackTable(
        ids=t.ids[start:stop],
        texts=t.texts[start:stop],
        scores=t.scores[start:stop],
        dates=t.dates[start:stop],
        channels=t.channels[start:stop],
        segments=t.segments[start:stop],
        tags=t.tags[start:stop],
        causes=t.causes[start:stop],
    )


def body(t: FeedbackTable) -> list[bytes]:
    """The records as an NDJSON upload, in 64 KiB chunks."""
    data = b"".join(
        json.dumps(
            {
                "id": i,
                "text": text,
                "score": score,
                "date": "2026-10-01",
                "channel": "email",
            }
        ).encode()
        + b"\n"
        for i, text, score in zip(t.ids, t.texts, t.scores.tolist(), strict=True)
    )
    return [data[i : i + 65536] for i in range(0, len(data), 65536)]


def read(chunks: list[bytes], batch: int) -> float:
    """Seconds the API's reader takes to turn ``chunks`` into checked tables."""
    start = time.perf_counter()
    reader = LineReader(max_row_bytes=65536, max_total=1 << 40)
    batches = ndjson_batches(reader.lines(chunks), source="bench", size=batch)
    tables = convert_batches(batches, report=ImportReport(), scale="nps", rules=RULES)
    assert sum(map(len, tables)) == sum(c.count(b"\n") for c in chunks)
    return time.perf_counter() - start


def one_run(
    batches: list[FeedbackTable], row_batches: list[list[RecordRow]], folder: Path
) -> list[float]:
    store = Store(f"sqlite:///{folder / 'ingest.db'}")
    for name in ("tables", "rows"):
        store.create_dataset(name, name=name, scale="nps", actor="bench")
    times = [time.perf_counter()]
    for _ in range(2):  # new ids, then the same ids again
        for batch in batches:
            store.ingest_table("tables", batch, actor="bench")
        times.append(time.perf_counter())
    for row_batch in row_batches:
        store.ingest("rows", row_batch, actor="bench")
    times.append(time.perf_counter())
    store.close()
    return [b - a for a, b in pairwise(times)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=65_536)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    whole = table(args.rows)
    starts = range(0, args.rows, args.batch)
    batches = [part(whole, i, i + args.batch) for i in starts]
    row_batches = [rows(batch) for batch in batches]
    chunks = body(whole)
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(
                [read(chunks, args.batch), *one_run(batches, row_batches, Path(folder))]
            )
    print(
        f"{args.rows} rows in batches of {args.batch}, SQLite, "
        f"median of {args.runs} runs, microseconds per row:"
    )
    steps = (
        "reader (NDJSON)",
        "ingest_table, new ids",
        "ingest_table, updates",
        "ingest (row dicts)",
    )
    for name, step in zip(steps, zip(*runs, strict=True), strict=True):
        us = statistics.median(step) * 1e6 / args.rows
        print(f"  {name:22s} {us:5.2f}  ({1e6 / us:,.0f} rows/s)")


if __name__ == "__main__":
    main()
