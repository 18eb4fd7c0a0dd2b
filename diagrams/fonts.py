"""TrueType advance widths, read straight from the font file Graphviz will use.

Graphviz (through Pango and fontconfig) draws labels with the system's DejaVu
fonts; reading the same ``.ttf`` lets the layout know how wide each label is
without asking Graphviz. Only four tables are read (``head``, ``hhea``,
``hmtx``, ``cmap``), with the standard library, and the result is cached per
file. Kerning is ignored, so widths err slightly on the wide side, which is the
safe side for a layout that must not overlap.

Examples:
    >>> metrics = load_font("DejaVu Sans")
    >>> round(metrics.width("Hi", 10.0), 2)
    10.3
    >>> metrics.width("", 10.0)
    0.0
"""

from __future__ import annotations

import logging
import struct
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Final

__all__ = ["FONT_DIRS", "FontMetrics", "find_font_file", "load_font"]

log = logging.getLogger(__name__)

FONT_DIRS: Final = (
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
)
"""Where :func:`find_font_file` looks for ``.ttf`` files."""

_CACHE_SIZE: Final = 100_000
"""Widths of this many distinct strings are remembered per font."""
_FALLBACK_EM: Final = 0.62
"""Width (in em) assumed for every character when no font file is found."""


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths of one font face, in em (1.0 = the font size).

    Attributes:
        name: the family (and style) asked for.
        advances: em width per code point that the font covers.
        path: the file read, or None when widths are estimated.
    """

    name: str
    advances: dict[int, float] = field(repr=False)
    path: Path | None = None
    _cache: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def char_width(self, char: str) -> float:
        """Return the advance of one character in em.

        Characters the font lacks are drawn by a fallback font: assume a full em
        for wide (CJK, emoji) ones and 0.7 em for the rest; combining marks and
        format characters (joiners, direction marks) take no room.

        Examples:
            >>> m = load_font("DejaVu Sans")
            >>> m.char_width("\u200d"), m.char_width("\u4e2d")
            (0.0, 1.0)
        """
        em = self.advances.get(ord(char))
        if em is not None:
            return em
        if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn"):
            return 0.0
        if unicodedata.east_asian_width(char) in ("W", "F"):
            return 1.0
        return _FALLBACK_EM if self.path is None else 0.7

    def width(self, text: str, size: float) -> float:
        """Return the width of ``text`` in points at font ``size``.

        Examples:
            >>> round(load_font("DejaVu Sans").width("Refunds", 10.0), 1)
            40.9
        """
        total = self._cache.get(text)
        if total is None:
            get = self.advances.get
            total = 0.0
            for char in text:
                em = get(ord(char))
                total += self.char_width(char) if em is None else em
            if len(self._cache) < _CACHE_SIZE:
                self._cache[text] = total
        return total * size


def _font_key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@lru_cache(maxsize=1)
def _font_index() -> dict[str, Path]:
    index: dict[str, Path] = {}
    for root in FONT_DIRS:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.ttf")):
            index.setdefault(_font_key(path.stem), path)
    return index


def find_font_file(family: str, *, bold: bool = False) -> Path | None:
    """Return the ``.ttf`` file of a family (``"DejaVu Sans"``), or None.

    Examples:
        >>> find_font_file("DejaVu Sans", bold=True).name
        'DejaVuSans-Bold.ttf'
        >>> find_font_file("No Such Font") is None
        True
    """
    index = _font_index()
    key = _font_key(family)
    if bold:
        return index.get(key + "bold") or index.get(key)
    return index.get(key) or index.get(key + "book") or index.get(key + "regular")


@lru_cache(maxsize=16)
def load_font(family: str, *, bold: bool = False) -> FontMetrics:
    """Return the metrics of a font family, cached.

    When the family is not installed, Graphviz's fontconfig substitutes another
    font; the layout then falls back to DejaVu Sans metrics, or to an estimate
    when even that is missing, and logs a warning.

    Examples:
        >>> load_font("DejaVu Sans").path.name
        'DejaVuSans.ttf'
        >>> load_font("DejaVu Sans", bold=True).path.name
        'DejaVuSans-Bold.ttf'
    """
    path = find_font_file(family, bold=bold)
    if path is None and _font_key(family) != "dejavusans":
        log.warning("font %r not found; measuring labels with DejaVu Sans", family)
        path = find_font_file("DejaVu Sans", bold=bold)
    if path is None:
        log.warning("no font file found; estimating label widths")
        return FontMetrics(name=family, advances={})
    return FontMetrics(
        name=family, advances=_read_advances(path.read_bytes()), path=path
    )


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = (offset, length)
    return tables


def _read_advances(data: bytes) -> dict[int, float]:
    """Return em advance per code point, from a TrueType file's bytes."""
    tables = _tables(data)
    head = tables[b"head"][0]
    (units_per_em,) = struct.unpack_from(">H", data, head + 18)
    hhea = tables[b"hhea"][0]
    (n_metrics,) = struct.unpack_from(">H", data, hhea + 34)
    hmtx = tables[b"hmtx"][0]
    advances = struct.unpack_from(f">{2 * n_metrics}H", data, hmtx)[0::2]
    last = advances[-1]
    out: dict[int, float] = {}
    for code, glyph in _read_cmap(data, tables[b"cmap"][0]).items():
        units = advances[glyph] if glyph < n_metrics else last
        out[code] = units / units_per_em
    return out


def _read_cmap(data: bytes, cmap: int) -> dict[int, int]:
    """Return glyph id per code point from the best Unicode subtable."""
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    best: dict[int, int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        start = cmap + offset
        (fmt,) = struct.unpack_from(">H", data, start)
        if platform == 3 and encoding == 10 and fmt == 12:
            return _cmap_format12(data, start)
        if platform in (0, 3) and fmt == 4 and not best:
            best = _cmap_format4(data, start)
    return best


def _cmap_format4(data: bytes, start: int) -> dict[int, int]:
    (seg_x2,) = struct.unpack_from(">H", data, start + 6)
    n = seg_x2 // 2
    ends = struct.unpack_from(f">{n}H", data, start + 14)
    starts = struct.unpack_from(f">{n}H", data, start + 16 + seg_x2)
    deltas = struct.unpack_from(f">{n}h", data, start + 16 + 2 * seg_x2)
    ranges_at = start + 16 + 3 * seg_x2
    range_offsets = struct.unpack_from(f">{n}H", data, ranges_at)
    out: dict[int, int] = {}
    for i in range(n):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = ranges_at + 2 * i + range_offsets[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack_from(">H", data, at)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                out[code] = glyph
    return out


def _cmap_format12(data: bytes, start: int) -> dict[int, int]:
    (groups,) = struct.unpack_from(">I", data, start + 12)
    out: dict[int, int] = {}
    for g in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * g)
        for code in range(first, last + 1):
            out[code] = glyph + code - first
    return out
