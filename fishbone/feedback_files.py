r"""Opening feedback files: UTF-8 (BOM or not) unless told otherwise, progress, exact error lines.

Examples:
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "f.csv"
    ...     _ = p.write_bytes(b"text\nna\xefve\n")
    ...     try:
    ...         with open_text(p, fmt="csv", encoding=None) as lines:
    ...             _ = list(lines)
    ...     except FeedbackError as exc:
    ...         print(str(exc).split("f.csv")[1])
    :2: byte 0xef is not valid UTF-8; save the file as UTF-8 or pass its encoding (e.g. --encoding cp1252)
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from fishbone.exceptions import FeedbackError
from fishbone.feedback_sources import bad_encoding

__all__ = ["Progress", "open_text"]

Progress = Callable[[int, int], None]


@contextmanager
def open_text(
    path: str | os.PathLike[str],
    *,
    fmt: str,
    encoding: str | None,
    progress: Progress | None = None,
) -> Iterator[Iterable[str]]:
    r"""Open ``path`` as text: lines for CSV and NDJSON, 64 KiB pieces for a JSON array.

    A decoding error anywhere while the block runs becomes a FeedbackError that
    names the file and the line of the first bad byte.

    Raises:
        FeedbackError: for a UTF-16 file without ``encoding``, or bytes that do not decode.
        OSError: when the file cannot be opened.

    Examples:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = pathlib.Path(tmp) / "f.csv"
        ...     _ = p.write_bytes(b"\xef\xbb\xbftext\nok\n")
        ...     with open_text(p, fmt="csv", encoding=None) as lines:
        ...         list(lines)
        ['text\n', 'ok\n']
    """
    source = os.fspath(path)
    codec = encoding or "utf-8-sig"
    with open(path, "rb") as raw:
        _check_bom(raw.peek(4)[:4], source, encoding)
        total = os.fstat(raw.fileno()).st_size
        counted = io.BufferedReader(_Counting(raw, total, progress), 1 << 20)
        text = io.TextIOWrapper(counted, encoding=codec, newline="")
        pieces: Iterable[str] = (
            iter(lambda: text.read(1 << 16), "") if fmt == "json" else text
        )
        try:
            yield pieces
        except UnicodeDecodeError as exc:
            byte = exc.object[exc.start : exc.start + 1]
            raise FeedbackError(
                _locate_bad_bytes(path, codec) or bad_encoding(source, 0, byte, codec)
            ) from None


class _Counting(io.RawIOBase):
    """A raw reader that reports bytes read to a progress callback (every 1 MB)."""

    def __init__(
        self, raw: io.BufferedReader, total: int, progress: Progress | None
    ) -> None:
        self.raw, self.total, self.progress = raw, total, progress
        self.count = self.reported = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        self.count += n
        if self.progress and (self.count - self.reported >= 1 << 20 or n == 0):
            self.reported = self.count
            self.progress(self.count, self.total)
        return n


def _check_bom(head: bytes, source: str, encoding: str | None) -> None:
    if encoding is None and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FeedbackError(
            f"{source}:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 or pass --encoding utf-16"
        )


def _locate_bad_bytes(path: str | os.PathLike[str], codec: str) -> str | None:
    """Find the line of the first byte that does not decode (only after a failure)."""
    decoder = codecs.getincrementaldecoder(codec)()
    line = 1
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                line += block.count(b"\n", 0, exc.start)
                return bad_encoding(
                    os.fspath(path), line, block[exc.start : exc.start + 1], codec
                )
            line += block.count(b"\n")
    return None  # pragma: no cover - only called after a decoding error
