"""Where an API ingest spends its time per row, without HTTP: decode, checks, store.

    uv run python -m benchmarks.ingest_core [--rows 50000] [--runs 5]

Times, in one thread, the three steps every NDJSON line goes through in
``POST /datasets/{id}/records.ndjson``: ``json.loads``, ``RowValidator.from_json``
and ``Store.ingest`` (SQLite, batches of 5,000), each as a median over runs on a
fresh database. Their sum bounds what the route can reach on one core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from api.routes._rows import RowValidator
from fishbone.store import Store


def lines(n: int) -> list[bytes]:
    return [
        json.dumps(
            {
                "id": f"r{i}",
                "text": "refund took weeks and the app crashed",
                "score": i % 11,
                "date": "2026-10-01",
                "channel": "email",
            }
        ).encode()
        for i in range(n)
    ]


def one_run(data: list[bytes], folder: Path) -> tuple[float, float, float]:
    store = Store(f"sqlite:///{folder / 'ingest.db'}")
    store.create_dataset("nps", name="nps", scale="nps", actor="bench")
    validator = RowValidator(scale="nps", max_row_bytes=65536)
    t0 = time.perf_counter()
    raws = [json.loads(line.decode()) for line in data]
    t1 = time.perf_counter()
    rows = [validator.from_json(raw) for raw in raws]
    t2 = time.perf_counter()
    for i in range(0, len(rows), 5000):
        store.ingest("nps", rows[i : i + 5000], actor="bench")
    t3 = time.perf_counter()
    store.close()
    return t1 - t0, t2 - t1, t3 - t2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = lines(args.rows)
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(one_run(data, Path(folder)))
    per_row = [
        statistics.median(step) * 1e6 / args.rows for step in zip(*runs, strict=True)
    ]
    total = sum(per_row)
    print(f"{args.rows} rows, median of {args.runs} runs, microseconds per row:")
    for name, us in zip(
        ("json.loads", "row checks", "store upsert"), per_row, strict=True
    ):
        print(f"  {name:13s} {us:5.1f}")
    print(
        f"  {'sum':13s} {total:5.1f}  -> at most {1e6 / total:,.0f} rows/s on one core"
    )


if __name__ == "__main__":
    main()
