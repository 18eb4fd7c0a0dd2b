"""Render benchmark: fishbone to SVG in process, as a whole CLI process, and dot -Tsvg.

For each size (5x4, 8x12x2, 12x15x3 and ~5,000 nodes) it times, in the same run:

* ``diagrams.render(diagram, format="svg")`` in process (layout + DOT + neato -n2),
  with its three parts (layout, DOT text, Graphviz) reported separately;
* ``fishbone render FILE -o OUT.svg`` as a whole process (interpreter start,
  imports, reading the JSON, rendering, writing);
* ``dot -Tsvg`` on the same nodes (same labels, same font) and the same tree
  edges, without positions: what Graphviz alone would do (and it draws a tree
  strip, not a fishbone).

Medians of ``--repeat`` runs (dot on the 5,000-node graph runs fewer times).
``--docs DIR`` also writes a PNG of each size there (capped at 4,000 px).

Run: ``uv run python benchmarks/render.py [--repeat 7] [--docs docs]``
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import diagrams  # noqa: E402
from diagrams.dot import quote, to_dot  # noqa: E402
from diagrams.render import GraphvizRenderer  # noqa: E402
from fishbone.model import Diagram  # noqa: E402
from tests.factories import sized_diagram  # noqa: E402

SIZES: dict[str, tuple[int, int, int]] = {
    "5x4": (5, 4, 0),
    "8x12x2": (8, 12, 2),
    "12x15x3": (12, 15, 3),
    "5000": (20, 25, 9),  # 20 + 500 + 4,500 = 5,020 nodes and the effect
}


RENDER_ONLY = (
    "import sys, diagrams; from fishbone.formats import read_diagram; "
    "open(sys.argv[2], 'wb').write(diagrams.render(read_diagram(sys.argv[1]), format='svg'))"
)
"""The render path alone in a fresh process: what `fishbone render` does minus the CLI registry."""


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run_checked(command: list[str], *, data: bytes | None = None) -> None:
    """Run a command; on failure, stop with its stderr."""
    done = subprocess.run(command, input=data, capture_output=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(
            f"{command[:3]} failed:\n{done.stderr.decode(errors='replace')}"
        )


def plain_dot(diagram: Diagram) -> str:
    """The same labels and tree edges as the fishbone, for dot to lay out itself."""
    lines = ["digraph tree {", 'node [shape=box, fontname="DejaVu Sans", fontsize=10];']
    lines.append(f"effect [label={quote(diagram.effect.label)}];")
    for cat in diagram.categories:
        lines.append(f"{quote('k:' + cat.id)} [label={quote(cat.label)}];")
        lines.append(f"effect -> {quote('k:' + cat.id)};")
    for cause in diagram.causes:
        lines.append(f"{quote(cause.id)} [label={quote(cause.label)}];")
        parent = cause.parent if cause.parent else "k:" + cause.category
        lines.append(f"{quote(parent)} -> {quote(cause.id)};")
    lines += [f"{quote(ln.source)} -> {quote(ln.target)};" for ln in diagram.links]
    return "\n".join([*lines, "}"]) + "\n"


def cli() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "fishbone"
    return [str(exe)] if exe.exists() else ["uv", "run", "fishbone"]


def bench(
    name: str, diagram: Diagram, repeat: int, tmp: Path
) -> dict[str, float | int | str]:
    nodes = 1 + len(diagram.categories) + len(diagram.causes)
    diagrams.render(
        diagram, format="svg"
    )  # warm the font cache, like a server would be
    lay = diagrams.layout(diagram)
    dot = to_dot(lay)
    row: dict[str, float | int | str] = {"size": name, "nodes": nodes}
    row["layout"] = median_ms(lambda: diagrams.layout(diagram), repeat)
    row["dot_text"] = median_ms(lambda: to_dot(lay), repeat)
    row["neato"] = median_ms(
        lambda: GraphvizRenderer().render(dot, format="svg"), repeat
    )
    row["in_process"] = median_ms(
        lambda: diagrams.render(diagram, format="svg"), repeat
    )
    source = tmp / f"{name}.json"
    source.write_text(diagram.model_dump_json(by_alias=True), encoding="utf-8")
    command = [*cli(), "render", str(source), "-o", str(tmp / f"{name}.svg")]
    run_checked(command)
    row["process"] = median_ms(lambda: run_checked(command), repeat)
    alone = [
        str(ROOT / ".venv" / "bin" / "python"),
        "-c",
        RENDER_ONLY,
        str(source),
        str(tmp / f"{name}-alone.svg"),
    ]
    row["render_only"] = median_ms(lambda: run_checked(alone), repeat)
    plain = plain_dot(diagram)
    dot_repeat = repeat if nodes < 2000 else max(1, repeat // 3)
    row["dot_tsvg"] = median_ms(
        lambda: run_checked(["dot", "-Tsvg"], data=plain.encode()),
        dot_repeat,
    )
    row["canvas"] = f"{lay.width:.0f} x {lay.height:.0f} pt"
    return row


def write_docs(docs: Path) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    for name, shape in SIZES.items():
        data = diagrams.render(sized_diagram(*shape), format="png", size=4000)
        (docs / f"render-{name}.png").write_bytes(data)
        print(f"wrote {docs / f'render-{name}.png'}")
    # heat, rank badges, status marks, votes and a cross-link on a small diagram
    from tests.diagrams.test_dot import RANKING, cx

    example = diagrams.render(cx(), format="png", ranking=RANKING, dpi=144)
    (docs / "render-ranked-example.png").write_bytes(example)
    print(f"wrote {docs / 'render-ranked-example.png'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--docs", type=Path, help="also write render-SIZE.png files here"
    )
    parser.add_argument("--only", choices=list(SIZES), action="append")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the 5,000-node diagram warns it is unreadable
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            bench(name, sized_diagram(*shape), args.repeat, Path(tmp))
            for name, shape in SIZES.items()
            if not args.only or name in args.only
        ]
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}, median of {args.repeat}"
    )
    print()
    print(
        "| size | nodes | layout ms | DOT text ms | neato -n2 ms | **in process ms** "
        "| **whole `fishbone render` s** | render path alone, own process s | `dot -Tsvg` s | canvas |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['size']} | {r['nodes']} | {r['layout']:.0f} | {r['dot_text']:.0f} | {r['neato']:.0f} | "
            f"**{r['in_process']:.0f}** | **{float(r['process']) / 1000:.2f}** | "
            f"{float(r['render_only']) / 1000:.2f} | {float(r['dot_tsvg']) / 1000:.2f} | {r['canvas']} |"
        )
    if args.docs:
        write_docs(args.docs)


if __name__ == "__main__":
    main()
