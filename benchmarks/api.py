"""HTTP API and store speed: NDJSON ingest, cached and uncached renders, ranking from the store.

    uv run python -m benchmarks.api [--rows 100000] [--runs 3]

(run as a module from the repository root: a script named api.py would shadow the api package).

A real ``uvicorn`` server runs in this process on a free 127.0.0.1 port with a
fresh SQLite file (WAL, one writer) and ``--no-auth``; an ``httpx`` client talks
to it over loopback. Stages:

The server is ``fishbone serve`` in a separate process; the ranking stage opens
the same SQLite file directly.

- ``ingest``: stream ``--rows`` NDJSON records (generated on the fly, sent
  chunked, never held whole) into a new dataset; rows/s = rows / median seconds.
- ``render cached``: GET the same SVG 300 times after one warm-up (cache hit,
  ETag computed from the stored content hash); p50 and p95 in ms.
- ``render uncached``: an 8 x 12 x 2 diagram (``tests.factories.sized_diagram``)
  drawn by Graphviz as SVG, each request with a new title so nothing is cached.
- ``ranking``: 100,000 comments x 300 causes, straight from the store
  (``rank_from_store``) once matches are stored and current; the ranking cache
  is bypassed (each run asks for another date window covering every record).
  Timed twice: reading the records from the store each time, and with the
  decoded table of the current revision kept in memory (what the server does
  between rankings of an unchanged dataset).

Times are medians of ``--runs`` runs unless stated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from api.routes._analysis import Filters, rank_from_store
from api.routes._cache import TableCache
from fishbone.model import Diagram
from fishbone.store import RecordRow, Store
from tests.factories import WORDS, sized_diagram

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


class Server:
    """``fishbone serve`` in its own process (so the client does not share its GIL), loopback only."""

    def __init__(self, database_url: str, port: int) -> None:
        self.port = port
        self.command = [
            sys.executable,
            "-c",
            "from api.cli import main; main()",
            "serve",
            "--host",
            LOOPBACK,
            "--port",
            str(port),
            "--db",
            database_url,
            "--no-auth",
        ]

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://{LOOPBACK}:{self.port}/healthz").raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("fishbone serve did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def ndjson(rows: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    batch: list[bytes] = []
    for i in range(rows):
        text = " ".join(rng.choices(WORDS, k=rng.randint(4, 14)))
        record = {
            "id": f"r{i}",
            "text": text,
            "score": rng.randint(0, 10),
            "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "channel": rng.choice(["web", "email"]),
        }
        batch.append(json.dumps(record).encode())
        if len(batch) == 2000:
            yield b"\n".join(batch) + b"\n"
            batch = []
    if batch:
        yield b"\n".join(batch) + b"\n"


def bench_ingest(client: httpx.Client, rows: int, runs: int) -> dict[str, float]:
    times = []
    for run in range(runs):
        name = f"ingest-{run}"
        chunks = list(ndjson(rows, run))  # built before the clock starts
        client.post(
            "/api/v1/datasets", json={"id": name, "scale": "nps"}
        ).raise_for_status()
        start = time.perf_counter()
        response = client.post(
            f"/api/v1/datasets/{name}/records.ndjson",
            content=iter(chunks),
            headers={"Content-Type": "application/x-ndjson"},
        )
        times.append(time.perf_counter() - start)
        report = response.json()
        assert report["inserted"] == rows, report
    median = statistics.median(times)
    return {"rows": rows, "seconds": median, "rows_per_s": rows / median}


def with_signals(diagram: Diagram) -> Diagram:
    """Give each cause its own signal word (comments mention one cause or none)."""
    for i, cause in enumerate(diagram.causes):
        cause.signals = [f"topic{i:03d}"]
    return diagram


def bench_renders(client: httpx.Client, runs: int) -> dict[str, float]:
    diagram = with_signals(sized_diagram(8, 12, 2))
    doc = diagram.model_dump(mode="json", by_alias=True)
    client.post("/api/v1/diagrams", json=doc).raise_for_status()
    url = f"/api/v1/diagrams/{diagram.id}/render.svg"
    uncached = []
    for i in range(max(runs, 5)):
        start = time.perf_counter()
        client.get(url, params={"title": f"run {i}"}).raise_for_status()
        uncached.append(time.perf_counter() - start)
    client.get(url).raise_for_status()
    cached = []
    for _ in range(300):
        start = time.perf_counter()
        response = client.get(url)
        cached.append(time.perf_counter() - start)
        assert response.status_code == 200
    cached.sort()
    return {
        "uncached_ms": statistics.median(uncached) * 1000,
        "cached_p50_ms": cached[len(cached) // 2] * 1000,
        "cached_p95_ms": cached[int(len(cached) * 0.95)] * 1000,
        "causes": len(diagram.causes),
    }


def bench_ranking(store: Store, runs: int, comments: int = 100_000) -> dict[str, float]:
    diagram = with_signals(sized_diagram(10, 10, 2, seed=3))
    diagram.id = "rank-300"
    store.create_diagram(diagram, actor="bench")
    store.create_dataset("rank-100k", name="100k", scale="nps", actor="bench")
    rng = random.Random(1)
    signals = [c.signals[0] for c in diagram.causes]
    batch: list[RecordRow] = []
    for i in range(comments):
        words = rng.choices(WORDS, k=rng.randint(3, 10)) + (
            [rng.choice(signals)] if rng.random() < 0.7 else []
        )
        batch.append(
            RecordRow(
                ext_id=str(i),
                text=" ".join(words),
                score=float(rng.randint(0, 10)),
                date="2025-06-01",
                channel=None,
                segment=None,
                tags=[],
                causes=[],
                ratings=None,
            )
        )
        if len(batch) == 20_000:
            store.ingest("rank-100k", batch, actor="bench")
            batch = []
    start = time.perf_counter()
    rank_from_store(store, diagram.id, "rank-100k", method="pareto", filters=Filters())
    first = time.perf_counter() - start
    cold = _time_rankings(store, diagram.id, runs, comments, None, offset=0)
    tables = TableCache()
    tables.get(store, "rank-100k", store.dataset_revision("rank-100k"))
    warm = _time_rankings(store, diagram.id, runs, comments, tables, offset=runs)
    return {
        "comments": comments,
        "causes": len(diagram.causes),
        "first_with_matching_s": first,
        "current_matches_s": cold,
        "current_matches_table_in_memory_s": warm,
    }


def _time_rankings(
    store: Store,
    diagram_id: str,
    runs: int,
    comments: int,
    tables: TableCache | None,
    *,
    offset: int,
) -> float:
    times = []
    for run in range(runs):
        since = dt.date(2000, 1, 1) + dt.timedelta(days=offset + run)
        start = time.perf_counter()
        ranking = rank_from_store(
            store,
            diagram_id,
            "rank-100k",
            method="pareto",
            filters=Filters(since=since),
            tables=tables,
        )
        times.append(time.perf_counter() - start)
        assert not ranking.cached
        assert ranking.records == comments
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        port = free_port()
        with (
            Server(url, port),
            httpx.Client(base_url=f"http://{LOOPBACK}:{port}", timeout=600) as client,
        ):
            results = {
                "ingest": bench_ingest(client, args.rows, args.runs),
                "render": bench_renders(client, args.runs),
            }
        store = Store(url)
        results["ranking"] = bench_ranking(store, args.runs)
        store.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
