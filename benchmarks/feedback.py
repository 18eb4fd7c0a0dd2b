"""Feedback throughput: read, match and (whole pipeline) rank a 1,000,000-row CSV, with polars as the floor.

    uv run python benchmarks/gen_feedback.py          # once: writes benchmarks/out/
    uv run python benchmarks/feedback.py [--runs 3] [--rows 1000000]

Each stage runs in its own fresh process so that its peak memory (``ru_maxrss``)
is its own: ``polars`` (``pl.read_csv``, the floor), ``read`` (``read_feedback``),
``match`` (signal matching only, on a table read once) and ``whole`` (read, match
and ``rank(method="pareto")`` once) and ``cli`` (the ``fishbone rank`` command,
timed from outside, once). Times are medians
of ``--runs`` runs; rows/s = rows / median seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

OUT = Path(__file__).parent / "out"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median(fn: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def stage(name: str, csv: Path, diagram_path: Path, runs: int) -> dict[str, Any]:
    from fishbone.feedback import read_feedback
    from fishbone.formats import read_diagram
    from fishbone.matching import match

    if name == "polars":
        import polars as pl

        seconds, df = _median(lambda: pl.read_csv(csv), runs)
        return {"seconds": seconds, "rows": df.height}
    if name == "read":
        seconds, result = _median(lambda: read_feedback(csv), runs)
        return {"seconds": seconds, "rows": len(result.table)}
    diagram = read_diagram(diagram_path)
    if name == "match":
        from fishbone.matching import SignalMatcher

        table = read_feedback(csv).table
        t0 = time.perf_counter()
        SignalMatcher({c.id: c.signals for c in diagram.causes})
        build = time.perf_counter() - t0
        match(diagram, table)  # builds and caches the automaton once
        seconds, mentions = _median(lambda: match(diagram, table), runs)
        matched = int((np.diff(mentions.matrix.indptr) > 0).sum())
        return {
            "seconds": seconds,
            "rows": len(table),
            "mentions": int(mentions.matrix.nnz),
            "matched_rows": matched,
            "build": build,
        }
    from fishbone.ranking import rank

    t0 = time.perf_counter()
    table = read_feedback(csv).table
    t1 = time.perf_counter()
    mentions = match(diagram, table)
    t2 = time.perf_counter()
    rows = rank(diagram, table, method="pareto", mentions=mentions)
    t3 = time.perf_counter()
    return {
        "seconds": t3 - t0,
        "read": t1 - t0,
        "match": t2 - t1,
        "rank": t3 - t2,
        "rows": len(table),
        "ranked": len(rows),
    }


def cli_rank(csv: Path, diagram_path: Path) -> dict[str, Any]:
    """Time the whole ``fishbone rank`` command in a child process; peak RSS of the child."""
    out = OUT / "ranking.json"
    cmd = [
        str(Path(sys.executable).parent / "fishbone"),
        "rank",
        str(diagram_path),
        "--feedback",
        str(csv),
        "--format",
        "json",
        "-o",
        str(out),
    ]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "rows": 1_000_000 if "1000000" in csv.name else 0,
        "peak_mb": peak,
    }


def _child(name: str, a: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--stage",
        name,
        "--csv",
        str(a.csv),
        "--diagram",
        str(a.diagram),
        "--runs",
        str(a.runs),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        return {
            "error": done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else "failed"
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description="feedback read/match throughput")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--csv", type=Path)
    p.add_argument("--diagram", type=Path, default=OUT / "diagram_300.json")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--stage", choices=["polars", "read", "match", "whole", "cli"])
    a = p.parse_args()
    a.csv = a.csv or OUT / f"feedback_{a.rows}.csv"
    if a.stage == "cli":
        print(json.dumps(cli_rank(a.csv, a.diagram)))
        return
    if a.stage:
        result = stage(a.stage, a.csv, a.diagram, a.runs)
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
        return
    size = a.csv.stat().st_size / 1e6
    print(f"file: {a.csv.name}, {size:.0f} MB; {a.runs} runs per stage (median)\n")
    print("| stage | median s | rows/s | peak RSS MB | notes |")
    print("|---|---|---|---|---|")
    for name in ("polars", "read", "match", "whole", "cli"):
        r = _child(name, a)
        if "error" in r:
            print(f"| {name} | - | - | - | {r['error']} |")
            continue
        notes = ""
        if name == "match":
            notes = f"{r['mentions']:,} mentions, {r['matched_rows']:,} rows matched; automaton build {r['build']:.2f} s once per diagram, not included"
        if name == "whole":
            notes = f"read {r['read']:.2f} s + match {r['match']:.2f} s + rank {r['rank']:.2f} s (one run)"
        if name == "cli":
            notes = "`fishbone rank DIAGRAM --feedback CSV --format json -o ...`, one run, interpreter start included"
        print(
            f"| {name} | {r['seconds']:.2f} | {r['rows'] / r['seconds']:,.0f} | {r['peak_mb']:.0f} | {notes} |"
        )


if __name__ == "__main__":
    main()
