"""Colour themes (light, dark, print) and the heat scale for ranked causes.

Examples:
    >>> theme = get_theme("light")
    >>> theme.heat(0.0), theme.heat(1.0)
    ('#fff3e0', '#d84315')
    >>> text_on("#000000"), text_on("#ffffff")
    ('#ffffff', '#1a1a1a')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from fishbone.exceptions import RenderError

__all__ = ["THEMES", "Theme", "get_theme", "text_on"]


@dataclass(frozen=True, slots=True)
class Theme:
    """The colours of one theme, as ``#rrggbb`` strings."""

    name: str
    background: str
    ink: str
    """Labels of causes."""
    bone: str
    """Spine and category bones."""
    rib: str
    """Cause ribs and sub-cause bones."""
    head_fill: str
    head_ink: str
    category_ink: str
    muted: str
    """Rejected causes and the "+k more" marks."""
    good: str
    """Verified causes."""
    done: str
    """Addressed causes."""
    link: str
    badge_fill: str
    badge_ink: str
    heat_low: str
    heat_high: str

    def heat(self, value: float) -> str:
        """Return the heat colour for ``value`` in [0, 1] (clamped).

        Examples:
            >>> get_theme("print").heat(0.5)
            '#b1b1b1'
        """
        value = min(1.0, max(0.0, value))
        low, high = _rgb(self.heat_low), _rgb(self.heat_high)
        mixed = (round(a + (b - a) * value) for a, b in zip(low, high, strict=True))
        return "#{:02x}{:02x}{:02x}".format(*mixed)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def text_on(fill: str) -> str:
    """Return a legible text colour (near black or white) on ``fill``.

    Examples:
        >>> text_on("#d84315"), text_on("#fff3e0")
        ('#ffffff', '#1a1a1a')
    """
    r, g, b = _rgb(fill)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1a1a1a" if luminance > 140 else "#ffffff"


THEMES: Final = {
    "light": Theme(
        name="light",
        background="#ffffff",
        ink="#1a1a1a",
        bone="#1f3a5f",
        rib="#5b7290",
        head_fill="#1f3a5f",
        head_ink="#ffffff",
        category_ink="#1f3a5f",
        muted="#8a8a8a",
        good="#1b7f3b",
        done="#4a5bc4",
        link="#b0413e",
        badge_fill="#b0413e",
        badge_ink="#ffffff",
        heat_low="#fff3e0",
        heat_high="#d84315",
    ),
    "dark": Theme(
        name="dark",
        background="#15191f",
        ink="#e8e8e8",
        bone="#8fb3e0",
        rib="#6d829c",
        head_fill="#8fb3e0",
        head_ink="#15191f",
        category_ink="#b9d2f0",
        muted="#7d848c",
        good="#5fd38a",
        done="#9aa8ff",
        link="#ff8a80",
        badge_fill="#ff8a80",
        badge_ink="#15191f",
        heat_low="#3a2a1f",
        heat_high="#ff7043",
    ),
    "print": Theme(
        name="print",
        background="#ffffff",
        ink="#000000",
        bone="#000000",
        rib="#404040",
        head_fill="#ffffff",
        head_ink="#000000",
        category_ink="#000000",
        muted="#707070",
        good="#000000",
        done="#000000",
        link="#404040",
        badge_fill="#000000",
        badge_ink="#ffffff",
        heat_low="#f2f2f2",
        heat_high="#707070",
    ),
}
"""The built-in themes by name."""


def get_theme(name: str) -> Theme:
    """Return the theme called ``name``.

    Raises:
        RenderError: when there is no such theme.

    Examples:
        >>> get_theme("dark").background
        '#15191f'
        >>> get_theme("neon")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.RenderError: no theme named 'neon'; choose one of dark, light, print
    """
    try:
        return THEMES[name]
    except KeyError:
        known = ", ".join(sorted(THEMES))
        raise RenderError(f"no theme named {name!r}; choose one of {known}") from None
