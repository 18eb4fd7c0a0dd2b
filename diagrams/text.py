"""Label text: clean, wrap to a width and measure, with the font Graphviz draws.

Labels are text, never markup: :func:`clean_text` only removes what no renderer
can draw (control characters, lone surrogates); escaping for DOT happens in
:mod:`diagrams.dot`.

Examples:
    >>> block = measure_label("Refunds take too long to arrive", max_width=90)
    >>> block.lines
    ('Refunds take too', 'long to arrive')
    >>> block.width <= 90 + 2 * PAD_X
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from diagrams.fonts import FontMetrics, load_font

__all__ = [
    "CONTROL_CHARS",
    "LINE_SPACING",
    "PAD_X",
    "PAD_Y",
    "TextBlock",
    "clean_text",
    "measure_label",
    "wrap_text",
]

LINE_SPACING: Final = 1.2
"""Graphviz advances each text line by ``fontsize * 1.2``."""
PAD_X: Final = 3.0
"""Room left and right of the text inside a label box, in points."""
PAD_Y: Final = 2.0
"""Room above and below the text inside a label box, in points."""

CONTROL_CHARS: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]"
)
"""Characters no renderer can draw: C0/C1 controls, non-characters, lone surrogates."""
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A wrapped label and the size of its box (text plus padding) in points.

    The last ``extra`` lines are marks (vote dots, "+k more"), drawn muted.
    """

    lines: tuple[str, ...]
    width: float
    height: float
    size: float
    bold: bool = False
    extra: int = 0


def clean_text(text: str) -> str:
    r"""Return ``text`` without control characters, with runs of spaces collapsed.

    Newlines are kept (they break lines); lone surrogates and other code points
    that cannot be encoded are dropped.

    Examples:
        >>> clean_text("a\t b\x00c\r\nd")
        'a bc\nd'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL_CHARS.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def wrap_text(
    text: str, *, max_width: float, size: float, font: FontMetrics
) -> list[str]:
    """Greedy word wrap of ``text`` to ``max_width`` points; long words are split.

    Explicit newlines start a new line. The full text is always kept.

    Examples:
        >>> f = load_font("DejaVu Sans")
        >>> wrap_text("aaaa bbbb", max_width=30, size=10, font=f)
        ['aaaa', 'bbbb']
        >>> wrap_text("x" * 12, max_width=30, size=10, font=f)
        ['xxxxx', 'xxxxx', 'xx']
    """
    lines: list[str] = []
    space = font.width(" ", size)
    for paragraph in text.split("\n"):
        current, current_w = "", 0.0
        for word in paragraph.split(" "):
            word_w = font.width(word, size)
            if current and current_w + space + word_w <= max_width:
                current, current_w = f"{current} {word}", current_w + space + word_w
                continue
            if current:
                lines.append(current)
            pieces = _split_word(word, max_width=max_width, size=size, font=font)
            lines.extend(pieces[:-1])
            current = pieces[-1]
            current_w = font.width(current, size)
        lines.append(current)
    return lines


def _split_word(
    word: str, *, max_width: float, size: float, font: FontMetrics
) -> list[str]:
    """Split a word wider than ``max_width`` into pieces that fit."""
    if font.width(word, size) <= max_width:
        return [word]
    pieces: list[str] = []
    current, current_w = "", 0.0
    for char in word:
        char_w = font.char_width(char) * size
        if current and current_w + char_w > max_width:
            pieces.append(current)
            current, current_w = "", 0.0
        current += char
        current_w += char_w
    pieces.append(current)
    return pieces


def measure_label(
    text: str,
    *,
    max_width: float,
    size: float = 10.0,
    family: str = "DejaVu Sans",
    bold: bool = False,
    extra_lines: tuple[str, ...] = (),
) -> TextBlock:
    """Clean, wrap and measure a label; ``extra_lines`` (marks) are added unwrapped.

    Examples:
        >>> b = measure_label("Hi", max_width=100, size=10)
        >>> b.lines, round(b.width, 1), b.height
        (('Hi',), 16.3, 16.0)
        >>> measure_label("", max_width=100).lines
        ('',)
    """
    font = load_font(family, bold=bold)
    lines = wrap_text(clean_text(text), max_width=max_width, size=size, font=font)
    lines += extra_lines
    width = max(font.width(line, size) for line in lines)
    height = len(lines) * size * LINE_SPACING
    return TextBlock(
        lines=tuple(lines),
        width=width + 2 * PAD_X,
        height=height + 2 * PAD_Y,
        size=size,
        bold=bold,
        extra=len(extra_lines),
    )
