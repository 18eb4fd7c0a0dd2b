"""The home page: every stored diagram drawn, ranked by its first dataset.

With ``make run`` (``serve --demo --no-auth``) a newcomer opens the page and sees
the demo fishbone coloured by the demo survey, with links to download it as
SVG, PNG or PDF and to read the ranking. Labels are escaped: text, never markup.

Examples:
    >>> page = home_page([], [], pictures=True)
    >>> "No diagrams yet" in page
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final
from urllib.parse import quote, urlencode

from fishbone.store import DatasetInfo, StoredDiagram

__all__ = ["home_page"]

_PAGE: Final = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fishbone</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; margin: 2rem; color: #1d2b3a; }}
section {{ margin-bottom: 3rem; }}
img {{ max-width: 100%; border: 1px solid #dde3ea; }}
nav a {{ margin-right: 1rem; }}
</style></head>
<body><h1>Fishbone</h1>
<p>Cause-and-effect diagrams ranked by customer feedback.
<a href="/docs">API documentation</a></p>
{body}
</body></html>
"""


def _diagram_section(
    stored: StoredDiagram, dataset: str | None, *, pictures: bool
) -> str:
    diagram = stored.diagram
    base = f"/api/v1/diagrams/{quote(diagram.id, safe='')}"
    query = f"?{urlencode({'ranking': dataset})}" if dataset else ""
    title = escape(diagram.title or diagram.effect.label)
    links = " ".join(
        f'<a href="{base}/render.{fmt}{query}" download>{fmt.upper()}</a>'
        for fmt in ("svg", "png", "pdf")
    )
    if dataset:
        ranking = f"{base}/ranking?{urlencode({'dataset': dataset})}"
        links += f' <a href="{escape(ranking)}">ranking (JSON)</a>'
        caption = f"coloured by dataset {escape(dataset)!s}"
    else:
        caption = "no feedback dataset yet"
    picture = (
        f'<img src="{escape(base + "/render.svg" + query)}" alt="{title}">'
        if pictures
        else "<p>Pictures need an API key here; fetch them through the API.</p>"
    )
    return (
        f"<section><h2>{title}</h2><p>{caption}</p>{picture}"
        f"<nav>{links}</nav></section>"
    )


def home_page(
    diagrams: Sequence[StoredDiagram],
    datasets: Sequence[DatasetInfo],
    *,
    pictures: bool,
) -> str:
    """Return the home page HTML: each diagram, ranked by the first dataset when any.

    ``pictures`` embeds the SVG; only when the server runs without keys, since
    a browser sends none.
    """
    if not diagrams:
        body = "<p>No diagrams yet: create one through the API or run <code>fishbone serve --demo</code>.</p>"
    else:
        first = datasets[0].id if datasets else None
        body = "\n".join(
            _diagram_section(d, first, pictures=pictures) for d in diagrams
        )
    return _PAGE.format(body=body)
