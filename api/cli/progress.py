"""A Rich progress bar for reading a large file, shown only on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

__all__ = ["MIN_BYTES", "reading_progress"]

MIN_BYTES: Final = 4 << 20
"""Files smaller than this read too fast for a bar to help."""

ProgressCallback = Callable[[int, int], None]


@contextmanager
def reading_progress(
    path: Path, *, console: Console | None = None
) -> Iterator[ProgressCallback | None]:
    """Yield a ``progress(done, total)`` callback drawing a bar on stderr, or None.

    None when stderr is not a terminal or the file is small, so scripts and
    pipes get clean output.
    """
    console = console or Console(file=sys.stderr)
    if not console.is_terminal or path.stat().st_size < MIN_BYTES:
        yield None
        return
    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"reading {path.name}", total=path.stat().st_size)
        yield lambda done, total: bar.update(task, completed=done, total=total)
