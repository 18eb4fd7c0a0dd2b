"""Diagram file formats: parse and generate text, read and write files.

Each format is a pure pair ``parse_*(text, *, source)`` / ``generate_*(diagram)``
over text (one string or an iterable of lines); :func:`read_diagram` and
:func:`write_diagram` are thin wrappers for paths that pick the format from the
file extension:

=========  ====================  ====================================================
extension  format                what it holds
=========  ====================  ====================================================
``.json``  ``fishbone/1`` JSON   everything
``.csv``   parent/child table    everything but the title and cross-links
``.txt``   outline text          effect label and kind, category and cause labels,
                                 their nesting and order
``.mmd``   Mermaid ``ishikawa``  effect, category and cause labels, nesting, order
=========  ====================  ====================================================

Outline text and Mermaid make ids from the labels. Each module says in detail
what its format holds and loses.

Examples:
    >>> from fishbone.model import Diagram, Effect
    >>> d = Diagram(id="d", effect=Effect(label="Late trains"))
    >>> parse_diagram(generate_diagram(d, format="json"), format="json") == d
    True
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from fishbone.exceptions import FormatError
from fishbone.formats._text import TextInput
from fishbone.formats.csv_table import generate_csv, parse_csv
from fishbone.formats.json_doc import generate_json, json_schema, parse_json
from fishbone.formats.mermaid import generate_mermaid, parse_mermaid
from fishbone.formats.outline import generate_outline, parse_outline
from fishbone.model import Diagram

__all__ = [
    "FORMATS",
    "Format",
    "format_for_path",
    "generate_csv",
    "generate_diagram",
    "generate_json",
    "generate_mermaid",
    "generate_outline",
    "json_schema",
    "parse_csv",
    "parse_diagram",
    "parse_json",
    "parse_mermaid",
    "parse_outline",
    "read_diagram",
    "write_diagram",
]


@dataclass(frozen=True, slots=True)
class Format:
    """One diagram file format: its name, file extension and parse/generate pair."""

    name: str
    extension: str
    parse: Callable[..., Diagram]
    generate: Callable[[Diagram], str]


FORMATS: Final[dict[str, Format]] = {
    f.extension: f
    for f in (
        Format("json", ".json", parse_json, generate_json),
        Format("outline", ".txt", parse_outline, generate_outline),
        Format("csv", ".csv", parse_csv, generate_csv),
        Format("mermaid", ".mmd", parse_mermaid, generate_mermaid),
    )
}
"""The formats by file extension."""


def _by_name(name: str) -> Format:
    """Return the format called ``name`` (or with that extension)."""
    for fmt in FORMATS.values():
        if name in (fmt.name, fmt.extension):
            return fmt
    names = ", ".join(f.name for f in FORMATS.values())
    raise ValueError(f"unknown format {name!r}; use one of {names}")


def format_for_path(path: str | os.PathLike[str]) -> Format:
    """Return the format of a file, from its extension.

    Raises:
        FormatError: when the extension is not one of :data:`FORMATS`.

    Examples:
        >>> format_for_path("cx.json").name
        'json'
        >>> format_for_path("cx.docx")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FormatError: cx.docx: unknown file extension '.docx'; use one of .json, .txt, .csv, .mmd
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        message = f"unknown file extension {suffix!r}; use one of {known}"
        raise FormatError(message, source=os.fspath(path))
    return FORMATS[suffix]


def parse_diagram(text: TextInput, *, format: str, source: str = "<string>") -> Diagram:
    """Return the diagram in ``text``, written in ``format`` (a name or an extension).

    Raises:
        ValueError: when ``format`` is unknown.
        FormatError: when the text cannot be read in that format.
        DiagramInvalid: when a JSON document does not fit the schema.

    Examples:
        >>> parse_diagram('{"id": "d", "effect": {"label": "E"}}', format=".json").id
        'd'
    """
    return _by_name(format).parse(text, source=source)


def generate_diagram(diagram: Diagram, *, format: str) -> str:
    """Return the diagram as text in ``format`` (a name or an extension).

    Raises:
        ValueError: when ``format`` is unknown.

    Examples:
        >>> from fishbone.model import Effect
        >>> generate_diagram(Diagram(id="d", effect=Effect(label="E")), format="json")[
        ...     :1
        ... ]
        '{'
    """
    return _by_name(format).generate(diagram)


def read_diagram(path: str | os.PathLike[str]) -> Diagram:
    """Read a diagram file, in the format its extension names.

    The file is read as UTF-8; a leading byte-order mark is ignored.

    Raises:
        FormatError: when the extension is unknown, the file is not UTF-8 or
            not well formed; the error names the file (and the line, when known).
        DiagramInvalid: when a JSON document does not fit the schema.
        OSError: when the file cannot be read.

    Examples:
        >>> import tempfile, pathlib
        >>> from fishbone.model import Effect
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = pathlib.Path(tmp) / "d.json"
        ...     write_diagram(Diagram(id="d", effect=Effect(label="E")), p)
        ...     read_diagram(p).effect.label
        'E'
    """
    fmt = format_for_path(path)
    source = os.fspath(path)
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = (
            f"not UTF-8 text (byte {data[exc.start]:#04x}); save the file as UTF-8"
        )
        raise FormatError(message, source=source, line=line) from None
    return fmt.parse(text, source=source)


def write_diagram(diagram: Diagram, path: str | os.PathLike[str]) -> None:
    """Write a diagram file in the format its extension names, atomically.

    The text goes to a temporary file in the same directory, which then replaces
    ``path``: readers see the old file or the new one, never half of one.

    Raises:
        FormatError: when the extension is unknown.
        OSError: when the file cannot be written.

    Examples:
        >>> import tempfile, pathlib
        >>> from fishbone.model import Effect
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = pathlib.Path(tmp) / "d.json"
        ...     write_diagram(Diagram(id="d", effect=Effect(label="E")), p)
        ...     p.read_text(encoding="utf-8").splitlines()[1]
        '  "schema": "fishbone/1",'
    """
    text = format_for_path(path).generate(diagram)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # os.open applies the umask (mkstemp would leave the file private, 0600).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _mode(target))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _mode(target: Path) -> int:
    """Return the permissions for ``target``: those it has, or the default."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666
